import net from 'node:net';
import { PORT_ENV, SERVICE_NAMES, type ServiceName } from '../contracts/services.js';

/**
 * Ports tests take are drawn from below Linux's ephemeral range (32768–60999), which the OS
 * also hands to every outgoing connection. Each parallel worker (vitest's VITEST_POOL_ID,
 * Playwright's TEST_PARALLEL_INDEX) draws from a band of its own, and one process never hands
 * out a port twice: two test files starting stacks at the same moment once picked the same
 * port, and a server under test found it taken (EADDRINUSE, in fresh-clone CI runs).
 */
const TEST_PORT_LOW = 20_000;
const TEST_PORT_HIGH = 32_000;
const BANDS = 4;

function portBand(): readonly [number, number] {
  const id = Number(process.env.VITEST_POOL_ID ?? process.env.TEST_PARALLEL_INDEX);
  if (!Number.isInteger(id) || id < 0) return [TEST_PORT_LOW, TEST_PORT_HIGH];
  const size = Math.floor((TEST_PORT_HIGH - TEST_PORT_LOW) / BANDS);
  const low = TEST_PORT_LOW + (id % BANDS) * size;
  return [low, low + size];
}

const handedOut = new Set<number>();

/** A port nothing listens on right now and this process has not handed out before. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [low, high] = portBand();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port, host)) return port;
  }
  return listenAnywhere(host); // the band is crowded: let the OS choose
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
