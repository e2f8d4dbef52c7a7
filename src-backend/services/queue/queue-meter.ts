import type { QueueBoard, QueueBoardSample } from '../../contracts/registrar.js';

const WINDOW_MS = 5000;
const HISTORY = 180; // 15 minutes of 5 s samples

/**
 * The board's queue figures: decisions per second and arrival-to-decision latency over the
 * last 5 s, and one such sample every 5 s for the last 15 minutes. Latencies are kept for
 * the window only, so a rush costs two numbers per decision.
 */
export class QueueMeter {
  /** [performance.now() at decision, latency ms or NaN when the request did not wait here] */
  private recent: Array<[number, number]> = [];
  private readonly history: QueueBoardSample[] = [];
  private readonly timer: NodeJS.Timeout;
  /** every decision counted, for "anything new since the last board push?" */
  total = 0;

  constructor(private readonly backlog: () => number) {
    this.timer = setInterval(() => {
      this.history.push(this.sample());
      if (this.history.length > HISTORY) this.history.shift();
    }, WINDOW_MS);
    this.timer.unref();
  }

  record(latencyMs: number | null): void {
    this.recent.push([performance.now(), latencyMs ?? Number.NaN]);
    this.total++;
  }

  sample(): QueueBoardSample {
    const now = performance.now();
    let i = 0;
    while (i < this.recent.length && this.recent[i]![0] < now - WINDOW_MS) i++;
    if (i > 0) this.recent = this.recent.slice(i);
    const latencies = this.recent
      .map(([, l]) => l)
      .filter((l) => !Number.isNaN(l))
      .sort((a, b) => a - b);
    const at = (q: number) =>
      latencies.length === 0
        ? null
        : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 100) / 100;
    return {
      at: new Date().toISOString(),
      decidedPerSec: Math.round((this.recent.length / (WINDOW_MS / 1000)) * 100) / 100,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      backlog: this.backlog(),
    };
  }

  board(): QueueBoard {
    return { ...this.sample(), history: [...this.history] };
  }

  close(): void {
    clearInterval(this.timer);
  }
}
