import { type QueueRequestItem, type QueueResult } from '../contracts/courses.js';
import { ErrorCode } from '../contracts/errors.js';
import { unavailable } from './app-error.js';
import { ServiceCallError, type ServiceClient } from './service-client.js';
import { QueueRoutes } from '../contracts/routes/queue.js';

export interface QueueForwarderOptions {
  /** collect requests this long before sending them as one call */
  readonly batchMs?: number;
  readonly maxBatch?: number;
  /** keep retrying an unreachable queue this long (a crashed queue_node is restarted meanwhile) */
  readonly retryForMs?: number;
  /**
   * calls to the queue at once; while they are all out, new requests wait and go in the next
   * batch, so batches grow with the load instead of staying a few requests each
   */
  readonly maxInFlight?: number;
}

interface Pending {
  readonly item: QueueRequestItem;
  readonly resolve: (r: QueueResult) => void;
  readonly reject: (e: Error) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Worth retrying: the queue is down, restarting, draining or slow. A 4xx is final, and so is
 * storage that takes no writes: the student is told that at once, with its Retry-After.
 */
function retryable(err: unknown): boolean {
  return (
    err instanceof ServiceCallError &&
    (err.statusCode === 503 || err.statusCode === 504 || err.statusCode === 502) &&
    err.code !== ErrorCode.STORAGE_UNAVAILABLE
  );
}

/**
 * Hands selections to queue_node in batches: a rush of requests becomes a few calls, not one
 * hop each. Every request carries a requestId, so re-sending a batch after a queue crash can
 * never decide a request twice.
 */
export class QueueForwarder {
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly batchMs: number;
  private readonly maxBatch: number;
  private readonly retryForMs: number;
  private readonly maxInFlight: number;
  private inFlight = 0;

  constructor(
    private readonly client: ServiceClient,
    opts: QueueForwarderOptions = {},
  ) {
    this.batchMs = opts.batchMs ?? 2;
    this.maxBatch = opts.maxBatch ?? 1000;
    this.retryForMs = opts.retryForMs ?? 8000;
    this.maxInFlight = opts.maxInFlight ?? 4;
  }

  submit(item: QueueRequestItem): Promise<QueueResult> {
    return new Promise((resolve, reject) => {
      this.buffer.push({ item, resolve, reject });
      if (this.buffer.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.batchMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0 || this.inFlight >= this.maxInFlight) return; // sent when a call returns
    const batch = this.buffer.splice(0, this.maxBatch);
    this.inFlight++;
    void this.send(batch).finally(() => {
      this.inFlight--;
      if (this.buffer.length > 0) this.flush();
    });
  }

  private async send(batch: Pending[]): Promise<void> {
    const deadline = Date.now() + this.retryForMs;
    const requests = batch.map((p) => p.item);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.client.call(QueueRoutes.submit, { body: { requests }, timeoutMs: 10_000 });
        res.results.forEach((r, i) => batch[i]!.resolve(r));
        return;
      } catch (err) {
        if (!retryable(err) || Date.now() >= deadline) {
          const e = retryable(err)
            ? unavailable(
                'the registration queue is unavailable; check GET /student/queue/status before retrying',
                'QUEUE_UNAVAILABLE',
              )
            : (err as Error);
          for (const p of batch) p.reject(e);
          return;
        }
        await sleep(Math.min(1000, 50 * 2 ** attempt));
      }
    }
  }
}
