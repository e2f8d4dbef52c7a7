import net from 'node:net';
import { PORT_ENV, SERVICE_NAMES, type ServiceName } from '../contracts/services.js';

/**
 * Ports tests take are drawn from below Linux's ephemeral range (32768–60999): the OS hands
 * those to every outgoing connection too, and with thousands of client sockets open across
 * parallel test files, a port picked by listen(0) was once taken by a connection before the
 * server under test could bind it (EADDRINUSE in a fresh-clone CI run).
 */
const TEST_PORT_LOW = 20_000;
const TEST_PORT_HIGH = 32_000;

/** A port nothing listens on right now, for tests that must not collide. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = TEST_PORT_LOW + Math.floor(Math.random() * (TEST_PORT_HIGH - TEST_PORT_LOW));
    if (await canListen(port, host)) return port;
  }
  return listenAnywhere(host); // that range is crowded: let the OS choose
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

function listenAnywhere(host: string): Promise<number> {
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
