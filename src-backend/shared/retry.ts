import { ErrorCode } from '../contracts/errors.js';
import { ServiceCallError } from './service-client.js';

/**
 * Worth another try: the service is down, restarting, draining or slow. A 4xx is final, and so
 * is storage that takes no writes (503 STORAGE_UNAVAILABLE): the caller is told at once, with
 * its Retry-After, instead of waiting out a disk that will not come back in seconds.
 */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof ServiceCallError &&
    (err.statusCode === 502 || err.statusCode === 503 || err.statusCode === 504) &&
    err.code !== ErrorCode.STORAGE_UNAVAILABLE
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a session look-up waits for a restarting auth_node or data_node (rush-crash.test.ts). */
export const SESSION_LOOKUP_RETRY_MS = 5000;

/**
 * Calls `fn` until it succeeds, fails for good, or `forMs` have passed since the first try; the
 * last error is thrown. A crashed service is restarted by the supervisor within a second or two,
 * so a request that waits a little is answered instead of refused. Backoff: 50 ms doubling, at
 * most 1 s.
 */
export async function retryTransient<T>(fn: () => Promise<T>, forMs: number): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const left = deadline - Date.now();
      if (!isTransient(err) || left <= 0) throw err;
      await sleep(Math.min(1000, 50 * 2 ** attempt, left));
    }
  }
}
