import pidusage from 'pidusage';
import type { Transport } from '../contracts/health.js';

/** One `/health` call: its status code and the transport it went over. Throws when it fails or times out. */
export type HealthCall = (
  timeoutMs: number,
) => Promise<{ readonly statusCode: number; readonly transport: Transport; readonly body?: unknown }>;

export interface HealthReading {
  readonly latencyMs: number | null;
  readonly transport: Transport | null;
  readonly rssBytes: number | null;
  /** the reason its last /health gave for being degraded (storage not writable), or null */
  readonly degradedReason: string | null;
}

/** What one probe concluded: answering, not answering (yet), or failed often enough to count as hung. */
export type ProbeVerdict = 'healthy' | 'failing' | 'hung';

const PROBE_TIMEOUT_MS = 2000;

/**
 * Health of one running child: `/health` latency and transport, its memory, and how many
 * probes in a row went unanswered. It only judges; the process owner decides what to do.
 */
export class HealthMonitor {
  private latencyMs: number | null = null;
  private transport: Transport | null = null;
  private rssBytes: number | null = null;
  private degradedReason: string | null = null;
  private failures = 0;

  constructor(
    private readonly call: HealthCall,
    /** consecutive failed probes before the process is presumed hung */
    private readonly maxFailures: number,
  ) {}

  reading(): HealthReading {
    return {
      latencyMs: this.latencyMs,
      transport: this.transport,
      rssBytes: this.rssBytes,
      degradedReason: this.degradedReason,
    };
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** A new child: nothing known about it yet. */
  reset(): void {
    this.failures = 0;
    this.rssBytes = null;
  }

  /** One `/health` call; true when it answered 200 in time (latency and transport are recorded). */
  async check(timeoutMs: number): Promise<boolean> {
    const t0 = performance.now();
    try {
      const res = await this.call(timeoutMs);
      if (res.statusCode !== 200) return false;
      this.latencyMs = Math.round((performance.now() - t0) * 100) / 100;
      this.transport = res.transport;
      const body = res.body as { status?: string; reason?: string } | null | undefined;
      this.degradedReason = body?.status === 'degraded' ? (body.reason ?? 'degraded') : null;
      return true;
    } catch {
      return false;
    }
  }

  /** The periodic probe of a running child: health, then (when healthy) its memory. */
  async probe(pid: number): Promise<ProbeVerdict> {
    if (await this.check(PROBE_TIMEOUT_MS)) {
      this.failures = 0;
      try {
        this.rssBytes = (await pidusage(pid)).memory;
      } catch {
        this.rssBytes = null;
      }
      return 'healthy';
    }
    this.failures += 1;
    return this.failures >= this.maxFailures ? 'hung' : 'failing';
  }
}
