import type { Role } from '../../../contracts/session.js';
import type { AckFn, NamespaceName } from '../../../contracts/realtime.js';
import { AppError } from '../../../shared/app-error.js';
import { ServiceCallError } from '../../../shared/service-client.js';
import type { SessionResolver } from '../../../shared/session-auth.js';
import { normalizeIds } from '../core/ids.js';
import type { AbuseGuard } from './abuse.js';
import type { RealtimeNamespace } from './typed.js';

/** What `Compile(schema)` from typebox/compile gives; only these two methods are used here. */
export interface PayloadValidator<T> {
  Check(value: unknown): value is T;
  Errors(value: unknown): ReadonlyArray<{ instancePath: string; message: string }>;
}

export interface GuardOptions {
  readonly allowedOrigins: readonly string[];
  readonly resolver: SessionResolver;
  /** which roles may connect to this namespace; all when absent */
  readonly roles?: readonly Role[];
  /** a handshake counts as an inbound event of its user: reconnecting in a loop is rate limited too */
  readonly abuse: AbuseGuard;
}

/** No Origin (a Node client) passes; a browser's must be on the list, or the list is `*`. */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  return origin === undefined || allowed.includes('*') || allowed.includes(origin);
}

/**
 * Every namespace's handshake: a browser's Origin must be on the allow-list (checked at the
 * Engine.IO handshake already; this is the second line), then the session token must resolve.
 * It also runs on connection-state recovery (`skipMiddlewares: false`), so a logged-out user
 * cannot come back through a recovered session.
 */
export function guardNamespace<N extends NamespaceName>(nsp: RealtimeNamespace<N>, opts: GuardOptions): void {
  nsp.use((socket, next) => {
    if (!originAllowed(socket.handshake.headers.origin, opts.allowedOrigins))
      return next(new Error('origin not allowed'));
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = auth?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 256) return next(new Error('unauthorized'));
    opts.resolver.resolve(token).then(
      (user) => {
        if (opts.roles && !opts.roles.includes(user.role)) return next(new Error('forbidden'));
        if (!opts.abuse.take(user.id)) return next(new Error('rate limited'));
        socket.data.user = user;
        socket.data.token = token;
        next();
      },
      (err: unknown) => {
        const status = err instanceof AppError || err instanceof ServiceCallError ? err.statusCode : 500;
        next(new Error(status === 401 || status === 403 || status === 404 ? 'unauthorized' : 'auth unavailable'));
      },
    );
  });
}

type AckCallback = (res: unknown) => void;

/** Turn any failure into the ack's `{success:false, error}`: never a stack, never a crash. */
export function ackError(err: unknown): { success: false; error: string } {
  if (err instanceof AppError) return { success: false, error: err.message };
  if (err instanceof ServiceCallError) {
    return { success: false, error: err.statusCode < 500 ? err.message : `${err.failedService} is unavailable` };
  }
  return { success: false, error: 'internal error' };
}

/**
 * Wrap a handler: the payload is checked against its schema at runtime, the result (or the error)
 * goes back through the ack. A client may omit the payload and pass only the ack. The listener's
 * type is the contract's: its payload is the schema's and its ack carries what `fn` returns, so
 * `socket.on` refuses a handler whose answer differs from the event map.
 */
export function handler<T, R extends object>(
  validator: PayloadValidator<T>,
  fn: (payload: T) => Promise<R> | R,
  onError: (err: unknown) => void,
): (payload: T, ack?: AckFn<R>) => void {
  // the wire may send anything in any position: the listener looks at what really came
  return (...args: unknown[]) => {
    let payload: unknown = args[0];
    let ack: unknown = args[1];
    if (typeof payload === 'function') {
      ack = payload;
      payload = {};
    }
    if (payload === undefined || payload === null) payload = {};
    const reply: AckCallback = typeof ack === 'function' ? (ack as AckCallback) : () => {};
    try {
      payload = normalizeIds(payload);
    } catch (err) {
      reply(ackError(err));
      return;
    }
    if (!validator.Check(payload)) {
      const first = validator.Errors(payload)[0];
      const where = first?.instancePath ? `${first.instancePath} ` : '';
      reply({ success: false, error: `invalid payload: ${where}${first?.message ?? 'does not match the schema'}` });
      return;
    }
    Promise.resolve()
      .then(() => fn(payload as T))
      .then(
        (res) => reply({ success: true, ...res }),
        (err: unknown) => {
          if (!(err instanceof AppError) && !(err instanceof ServiceCallError && err.statusCode < 500)) onError(err);
          reply(ackError(err));
        },
      );
  };
}
