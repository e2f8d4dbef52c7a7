import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { SUPERVISOR_BODY_LIMIT, bodyLimitFor, formatLimit } from '../contracts/body-limits.js';
import { ConsoleTarget } from '../contracts/console-api.js';
import { ErrorCode } from '../contracts/errors.js';
import { AppError } from '../shared/app-error.js';
import type { App } from '../shared/create-app.js';
import { RawJsonBody } from '../shared/service-client.js';

export const API_ROUTE = '/api/:target/*';

/**
 * The gateway holds each call to its target's body limit before it reads the body: a declared
 * Content-Length over it is a 413 at once (Node then drops the body unread, keeping the
 * connection), and a chunked body is cut off (413) as it passes the limit. Passing it on would have the target stop reading half-way, which the gateway saw as a
 * dead service (503). JSON bodies are passed on as the bytes that came, never parsed here.
 */
export function registerBodyLimits(app: App): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, new RawJsonBody(body as Buffer)),
  );

  app.addHook('onRequest', (request, reply, done) => {
    const limit = limitFor(request);
    const declared = Number(request.headers['content-length'] ?? 0);
    if (limit === null || !(declared > limit.bytes)) return done();
    done(tooLarge(limit, declared));
  });

  app.addHook('preParsing', (request, reply, payload, done) => {
    const limit = limitFor(request);
    if (limit === null || request.headers['content-length'] !== undefined) return done(null, payload);
    done(null, payload.pipe(new LimitedStream(limit, reply)));
  });
}

interface Limit {
  readonly target: string;
  readonly bytes: number;
}

function limitFor(request: FastifyRequest): Limit | null {
  if (request.routeOptions.url !== API_ROUTE) return null;
  const { target } = request.params as { target: string };
  if (!Value.Check(ConsoleTarget, target)) return null;
  if (target === 'supervisor') return { target, bytes: SUPERVISOR_BODY_LIMIT };
  const path = request.url.slice(`/api/${target}`.length).split('?')[0] || '/';
  return { target, bytes: bodyLimitFor(target, request.method, path) };
}

function tooLarge(limit: Limit, size: number | null): AppError {
  const seen = size === null ? 'this body is larger' : `this body is ${formatLimit(size)}`;
  return new AppError(
    413,
    ErrorCode.BODY_TOO_LARGE,
    `${limit.target} takes at most ${formatLimit(limit.bytes)} here; ${seen}`,
  );
}

/** Counts a chunked body through and fails with a 413 once it passes the limit. */
class LimitedStream extends Transform {
  private seen = 0;
  constructor(
    private readonly limit: Limit,
    private readonly reply: FastifyReply,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen <= this.limit.bytes) return cb(null, chunk);
    // The rest is read and dropped, not left unread: closing on unread bytes resets the
    // connection, and the client may lose the answer with it.
    const raw = this.reply.request.raw;
    raw.once('unpipe', () => raw.resume());
    cb(tooLarge(this.limit, null));
  }
}
