import { MicroBatcher } from '../../shared/micro-batcher.js';
import { SESSION_LOOKUP_RETRY_MS, retryTransient } from '../../shared/retry.js';

/**
 * Coalesces lookups made in the same event-loop turn into one batched call. A registration
 * rush starts with thousands of first-time token resolves at once; batched, they cost one
 * data_node hop per turn instead of one each. Duplicate keys in a batch are asked once. A
 * data_node that is down or restarting is asked again for up to `retryForMs` (a crash in a
 * rush delays sign-in checks rather than failing them).
 */
export class Batcher<R> {
  private readonly batcher: MicroBatcher<string, R | null>;

  constructor(send: (keys: string[]) => Promise<(R | null)[]>, maxBatch = 500, retryForMs = SESSION_LOOKUP_RETRY_MS) {
    this.batcher = new MicroBatcher<string, R | null>({
      windowMs: 0,
      maxBatch,
      key: (k) => k,
      // a short answer leaves the missing keys unknown (null), as data_node's batch route does
      send: async (keys) => {
        const results = await retryTransient(() => send(keys), retryForMs);
        return keys.map((_, i) => results[i] ?? null);
      },
    });
  }

  load(key: string): Promise<R | null> {
    return this.batcher.submit(key);
  }
}
