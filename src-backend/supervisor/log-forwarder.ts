import type { LogRecord } from '../contracts/supervisor.js';
import type { ServiceClient } from '../shared/service-client.js';
import { RealtimeRoutes } from '../contracts/routes/realtime.js';

/**
 * Streams fanned-in log lines to the realtime server's /logs namespace in batches, so a burst
 * of thousands of lines a second is a handful of internal calls. Lines that arrive while the
 * realtime server is down stay in the supervisor's ring buffer (the console's backlog).
 */
export class LogForwarder {
  private batch: LogRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ServiceClient,
    private readonly realtimeUp: () => boolean,
    private readonly intervalMs = 100,
    private readonly maxBatch = 5000,
  ) {}

  push(record: LogRecord): void {
    if (this.batch.length >= this.maxBatch * 4) this.batch.shift();
    this.batch.push(record);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  private flush(): void {
    this.timer = null;
    if (!this.realtimeUp()) {
      this.batch = [];
      return;
    }
    const lines = this.batch.splice(0, this.maxBatch);
    if (this.batch.length > 0) this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.sending = this.sending.then(async () => {
      try {
        await this.client.call(RealtimeRoutes.logs, { body: { lines }, timeoutMs: 2000 });
      } catch {
        // realtime went away between the check and the call; the ring buffer still has them
      }
    });
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sending;
  }
}
