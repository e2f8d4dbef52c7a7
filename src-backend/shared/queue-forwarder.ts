import { type QueueRequestItem, type QueueResult } from '../contracts/courses.js';
import { unavailable } from './app-error.js';
import { MicroBatcher } from './micro-batcher.js';
import { isTransient, retryTransient } from './retry.js';
import type { ServiceClient } from './service-client.js';
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

/**
 * Hands selections to queue_node in batches: a rush of requests becomes a few calls, not one
 * hop each. Every request carries a requestId, so re-sending a batch after a queue crash can
 * never decide a request twice.
 */
export class QueueForwarder {
  private readonly batcher: MicroBatcher<QueueRequestItem, QueueResult>;
  private readonly retryForMs: number;

  constructor(
    private readonly client: ServiceClient,
    opts: QueueForwarderOptions = {},
  ) {
    this.retryForMs = opts.retryForMs ?? 8000;
    this.batcher = new MicroBatcher({
      windowMs: opts.batchMs ?? 2,
      maxBatch: opts.maxBatch ?? 1000,
      maxInFlight: opts.maxInFlight ?? 4,
      send: (requests) => this.send(requests),
    });
  }

  submit(item: QueueRequestItem): Promise<QueueResult> {
    return this.batcher.submit(item);
  }

  private async send(requests: QueueRequestItem[]): Promise<QueueResult[]> {
    try {
      const res = await retryTransient(
        () => this.client.call(QueueRoutes.submit, { body: { requests }, timeoutMs: 10_000 }),
        this.retryForMs,
      );
      return res.results;
    } catch (err) {
      throw isTransient(err)
        ? unavailable(
            'the registration queue is unavailable; check GET /student/queue/status before retrying',
            'QUEUE_UNAVAILABLE',
          )
        : err;
    }
  }
}
