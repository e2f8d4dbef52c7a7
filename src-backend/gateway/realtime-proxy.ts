import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../contracts/errors.js';
import { socketPathFor, type RuntimeConfig } from '../shared/config.js';

export const SOCKET_IO_PREFIX = '/socket.io/';

const SHUTTING_DOWN = { error: { code: ErrorCode.SHUTTING_DOWN, message: 'the server is shutting down' } };

type Target = { socketPath: string } | { host: string; port: number };

/**
 * Proxies Socket.IO (long-polling and the WebSocket upgrade) to the realtime process, so the
 * console in a browser talks to one origin. Prefers the realtime Unix socket, like every hop.
 */
export class RealtimeProxy {
  constructor(
    private readonly config: RuntimeConfig,
    /** true once the gateway stops: new Socket.IO connections get a coded 503 */
    private readonly draining: () => boolean = () => false,
  ) {}

  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(SOCKET_IO_PREFIX);
  }

  web(req: IncomingMessage, res: ServerResponse): void {
    if (this.draining()) {
      res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(SHUTTING_DOWN));
      return;
    }
    const upstream = http.request({
      ...this.target(),
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
    });
    upstream.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'realtime is unavailable' } }));
      } else res.destroy();
    });
    // a client gone mid-poll must not leave its upstream request open (it would hold realtime's drain)
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.handles(req)) {
      socket.destroy();
      return;
    }
    if (this.draining()) {
      const body = JSON.stringify(SHUTTING_DOWN);
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const t = this.target();
    const upstream = 'socketPath' in t ? net.connect(t.socketPath) : net.connect(t.port, t.host);
    const fail = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', fail);
    socket.on('error', fail);
    // Either end closing ends the tunnel. Realtime's last bytes (its clients' close frames) are
    // flushed first: end(), not destroy().
    upstream.once('close', () => socket.end());
    socket.once('close', () => upstream.destroy());
    upstream.on('connect', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
  }

  private target(): Target {
    const { config } = this;
    if (config.useSockets && !config.urls.realtime) {
      const p = socketPathFor('realtime', config.socketDir);
      if (process.platform === 'win32' || fs.existsSync(p)) return { socketPath: p };
    }
    if (config.urls.realtime) {
      const u = new URL(config.urls.realtime);
      return { host: u.hostname, port: Number(u.port || 80) };
    }
    return { host: config.host === '0.0.0.0' ? '127.0.0.1' : config.host, port: config.ports.realtime };
  }
}
