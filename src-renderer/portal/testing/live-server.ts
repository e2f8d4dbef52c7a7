import { Server, type Socket } from 'socket.io';

type Ns = '/' | '/courses';

export interface LiveServer {
  readonly url: string;
  /** the tokens a connection may present; anything else is refused in `use()`, as realtime does */
  readonly tokens: Set<string>;
  /** script a namespace: `fn` runs for every connection, now and after a restart */
  onConnection(name: Ns, fn: (socket: Socket) => void): void;
  /** the sockets connected to a namespace now */
  connected(name: Ns): Socket[];
  /** push an event to every socket of a namespace */
  emit(name: Ns, event: string, payload: unknown): void;
  /** the server ending one socket on purpose (a kick): socket.io-client does not retry that */
  kick(name: Ns): void;
  /** the realtime process going away (every link drops) and coming back on the same port */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The network boundary for the portal's live stores, as MemoryTransport is for HTTP: a real
 * Socket.IO server on a free port, reached by the real socket.io-client the stores open. Each
 * test scripts the events it needs; the page's origin is pointed at it, as the gateway is in
 * server mode.
 */
export async function startLiveServer(): Promise<LiveServer> {
  const tokens = new Set<string>();
  const scripts: { name: Ns; fn: (socket: Socket) => void }[] = [];
  let io: Server | null = null;
  let port = 0;

  const start = async () => {
    const s = new Server({ transports: ['websocket', 'polling'] });
    for (const name of ['/', '/courses'] as const) {
      s.of(name).use((socket, next) =>
        tokens.has(String(socket.handshake.auth?.token)) ? next() : next(new Error('invalid session')),
      );
      s.of(name).on('connection', (socket) => {
        for (const x of scripts) if (x.name === name) x.fn(socket);
      });
    }
    s.listen(port);
    await new Promise<void>((resolve) => {
      if (s.httpServer.listening) resolve();
      else s.httpServer.once('listening', () => resolve());
    });
    const address = s.httpServer.address();
    port = typeof address === 'object' && address ? address.port : 0;
    io = s;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = io;
      io = null;
      if (!s) return resolve();
      // as a process exit does: transports close, no "disconnect" packet (that one is final)
      s.close(() => resolve());
    });

  await start();
  const url = `http://127.0.0.1:${port}`;
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(`${url}/portal/`);
  return {
    url,
    tokens,
    onConnection: (name, fn) => void scripts.push({ name, fn }),
    connected: (name) => (io ? [...io.of(name).sockets.values()] : []),
    emit: (name, event, payload) => void io?.of(name).emit(event, payload),
    kick: (name) => void io?.of(name).disconnectSockets(),
    stop,
    start,
    close: stop,
  };
}

/** Resolve once `check` holds, polling every 10 ms (socket traffic has no promise to await). */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
