import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '../contracts/errors.js';

/** How long requests in flight may take to finish once a stop begins; then they get a coded 503. */
export const IN_FLIGHT_GRACE_MS = 3000;

interface Conn {
  /** requests on this connection not yet answered (HTTP/1.1 may pipeline) */
  readonly open: Set<http.ServerResponse>;
  /** handed to a WebSocket (upgrade): no longer HTTP, only force() ends it */
  upgraded: boolean;
}

/**
 * What a server still holds open while it stops. node:http's close() stops accepting and closes
 * the connections idle at that moment, but a keep-alive connection that finishes a response
 * afterwards stays open until its keep-alive timeout, and an upgraded (WebSocket) connection
 * until its peer leaves, so close() alone can wait for minutes.
 */
export interface ConnectionDrain {
  /**
   * From now on idle connections close at once, and busy ones right after their response
   * (which says `connection: close`). WebSockets are left to their owner to end.
   */
  begin(): void;
  /** Requests still unanswered get a coded 503; then every connection, WebSockets too, is dropped. */
  force(): void;
  /** connections still open */
  readonly size: number;
}

export function trackConnections(servers: readonly http.Server[], service: string): ConnectionDrain {
  const conns = new Map<Duplex, Conn>();
  let draining = false;

  const endIfIdle = (socket: Duplex, c: Conn) => {
    if (draining && !c.upgraded && c.open.size === 0) socket.end();
  };
  for (const server of servers) {
    server.prependListener('connection', (socket: Duplex) => {
      conns.set(socket, { open: new Set(), upgraded: false });
      socket.once('close', () => conns.delete(socket));
    });
    // before the app's own listener, which may answer (a draining 503) before this one runs
    server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const c = conns.get(req.socket);
      if (!c) return;
      c.open.add(res);
      if (draining) closeAfter(res);
      res.once('close', () => {
        c.open.delete(res);
        endIfIdle(req.socket, c);
      });
    });
    server.on('upgrade', (req: http.IncomingMessage) => {
      const c = conns.get(req.socket);
      if (c) c.upgraded = true;
    });
  }

  return {
    begin() {
      if (draining) return;
      draining = true;
      for (const [socket, c] of conns) {
        for (const res of c.open) closeAfter(res);
        endIfIdle(socket, c);
      }
    },
    force() {
      draining = true;
      for (const [socket, c] of conns) {
        const answered = [...c.open].filter((res) => refuse(res, service));
        if (answered.length === 0) socket.destroy();
        else {
          // let the 503s leave before the connection goes
          socket.end();
          setTimeout(() => socket.destroy(), 200).unref();
        }
      }
    },
    get size() {
      return conns.size;
    },
  };
}

/** The response still to come says `connection: close`, so the client does not reuse the connection. */
function closeAfter(res: http.ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}

/** True when the request could still be answered (nothing of its response was sent yet). */
function refuse(res: http.ServerResponse, service: string): boolean {
  if (res.headersSent) return false;
  const body = JSON.stringify({ error: { code: ErrorCode.SHUTTING_DOWN, message: `${service} is shutting down` } });
  res.writeHead(503, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
  return true;
}
