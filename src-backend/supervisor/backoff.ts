export interface BackoffOptions {
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  /** uptime after which a process counts as stable and the backoff starts over */
  readonly stableAfterMs: number;
  /** consecutive unstable restarts before giving up (state `errored`) */
  readonly maxUnstableRestarts: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({
  initialMs: 100,
  factor: 1.5,
  maxMs: 15_000,
  stableAfterMs: 30_000,
  maxUnstableRestarts: 10,
});

/** Exponential restart delay: 100 ms ×1.5 capped at 15 s, reset after 30 s of stable uptime. */
export class Backoff {
  private attempt = 0;
  constructor(readonly opts: BackoffOptions = DEFAULT_BACKOFF) {}

  /** Record a crash after `uptimeMs`; returns the delay before the next start, or null to give up. */
  nextDelay(uptimeMs: number): number | null {
    if (uptimeMs >= this.opts.stableAfterMs) this.attempt = 0;
    if (this.attempt >= this.opts.maxUnstableRestarts) return null;
    const delay = Math.min(this.opts.maxMs, this.opts.initialMs * this.opts.factor ** this.attempt);
    this.attempt++;
    return Math.round(delay);
  }

  get unstableRestarts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
