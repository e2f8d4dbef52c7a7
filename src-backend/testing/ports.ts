import net from 'node:net';
import { PORT_ENV, SERVICE_NAMES, type ServiceName } from '../contracts/services.js';

/** A port nothing listens on right now (the OS picks it), for tests that must not collide. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort(host));
  return [...ports];
}

export interface PortEnv {
  /** the environment variables that set every process's port and the gateway's */
  readonly env: Record<string, string>;
  readonly ports: Readonly<Record<ServiceName | 'gateway', number>>;
}

/** A free port for each of the six processes and the gateway, as their environment variables. */
export async function freePortEnv(): Promise<PortEnv> {
  const free = await freePorts(SERVICE_NAMES.length + 1);
  const ports = Object.fromEntries([...SERVICE_NAMES, 'gateway'].map((n, i) => [n, free[i]!])) as PortEnv['ports'];
  const env: Record<string, string> = { GATEWAY_PORT: String(ports.gateway) };
  for (const name of SERVICE_NAMES) env[PORT_ENV[name]] = String(ports[name]);
  return { env, ports };
}
