import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { App } from './create-app.js';
import { ConfigError } from './config.js';

export interface ListenOptions {
  readonly service: string;
  readonly host: string;
  readonly port: number;
  readonly portEnv: string;
  /** null: HTTP only (USE_SOCKETS=false) */
  readonly socketPath: string | null;
}

export interface Listening {
  readonly port: number;
  readonly socketPath: string | null;
  /** the node:http server on the Unix socket (null in HTTP-only mode); the realtime server attaches Socket.IO to it */
  readonly socketServer: http.Server | null;
  close(): Promise<void>;
}

/**
 * Listen on the Unix socket and the HTTP port at once (seed 000's dual mode). Fastify owns the
 * TCP server; a second node:http server shares its router on the socket.
 */
export async function listenDual(app: App, opts: ListenOptions): Promise<Listening> {
  if (opts.socketPath) await clearStaleSocket(opts.socketPath, opts.service);
  await app.ready();

  let socketServer: http.Server | null = null;
  if (opts.socketPath) {
    socketServer = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => app.routing(req, res));
    await listenOnPath(socketServer, opts.socketPath);
  }
  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await closeSocketServer(socketServer, opts.socketPath);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      throw new ConfigError(`port ${opts.port} on ${opts.host} is already in use (set ${opts.portEnv} to use another)`);
    }
    if (e.code === 'EACCES') throw new ConfigError(`not allowed to listen on port ${opts.port} (set ${opts.portEnv})`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
      throw new ConfigError(`HOST ${opts.host} is not an address of this machine`);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    socketPath: opts.socketPath,
    socketServer,
    close: async () => {
      await closeSocketServer(socketServer, opts.socketPath);
    },
  };
}

async function listenOnPath(server: http.Server, socketPath: string): Promise<void> {
  // The umask makes the socket 0600 from the moment it exists; chmod makes sure of it.
  const oldMask = process.platform === 'win32' ? null : process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EACCES' || e.code === 'EROFS')
      throw new ConfigError(`cannot create socket ${socketPath}: SOCKET_DIR is not writable`);
    if (e.code === 'EADDRINUSE')
      throw new ConfigError(`socket ${socketPath} is in use: the product is already running`);
    throw err;
  } finally {
    if (oldMask !== null) process.umask(oldMask);
  }
  if (process.platform !== 'win32') fs.chmodSync(socketPath, 0o600);
}

async function closeSocketServer(server: http.Server | null, socketPath: string | null): Promise<void> {
  if (server?.listening) {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
  if (socketPath && process.platform !== 'win32') fs.rmSync(socketPath, { force: true });
}

/** A socket file left by a crash is removed; one that still answers means we are already running. */
export async function clearStaleSocket(socketPath: string, service: string): Promise<void> {
  if (process.platform === 'win32') return;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(socketPath);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new ConfigError(`${socketPath} exists and is not a socket; remove it or change SOCKET_DIR`);
  const alive = await new Promise<boolean>((resolve) => {
    const c = net.connect(socketPath);
    const done = (v: boolean) => {
      c.destroy();
      resolve(v);
    };
    c.once('connect', () => done(true));
    c.once('error', () => done(false));
    c.setTimeout(500, () => done(false));
  });
  if (alive) throw new ConfigError(`${service} is already running: ${socketPath} answers`);
  fs.rmSync(socketPath, { force: true });
}
