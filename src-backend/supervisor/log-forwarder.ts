import type { LogRecord } from '../contracts/supervisor.js';
import { MicroBatcher } from '../shared/micro-batcher.js';
import type { ServiceClient } from '../shared/service-client.js';
import { RealtimeRoutes } from '../contracts/routes/realtime.js';

/**
 * Streams fanned-in log lines to the realtime server's /logs namespace in batches, so a burst
 * of thousands of lines a second is a handful of internal calls, one at a time. Lines that
 * arrive while the realtime server is down stay in the supervisor's ring buffer (the
 * console's backlog), so they are dropped here rather than queued.
 */
export class LogForwarder {
  private readonly batcher: MicroBatcher<LogRecord>;

  constructor(
    private readonly client: ServiceClient,
    private readonly realtimeUp: () => boolean,
    intervalMs = 100,
    maxBatch = 5000,
  ) {
    this.batcher = new MicroBatcher({
      windowMs: intervalMs,
      maxBatch,
      maxInFlight: 1,
      paced: true,
      maxQueued: maxBatch * 4,
      send: (lines) => this.send(lines),
    });
  }

  push(record: LogRecord): void {
    this.batcher.push(record);
  }

  private async send(lines: LogRecord[]): Promise<void> {
    if (!this.realtimeUp()) return;
    try {
      await this.client.call(RealtimeRoutes.logs, { body: { lines }, timeoutMs: 2000 });
    } catch {
      // realtime went away between the check and the call; the ring buffer still has them
    }
  }

  async close(): Promise<void> {
    await this.batcher.drain();
  }
}
