import fs from 'node:fs';
import path from 'node:path';

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(latenciesMs: number[]): { p50: number; p99: number; max: number; count: number } {
  const s = Float64Array.from(latenciesMs).sort();
  return {
    p50: round(percentile(s, 50)),
    p99: round(percentile(s, 99)),
    max: round(s[s.length - 1] ?? NaN),
    count: s.length,
  };
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** bench/results, relative to the working directory (the repo). */
export const resultsDir = () => path.resolve('bench', 'results');

/** Write bench/results/<name>.json (relative to the working directory, i.e. the repo). */
export function writeResult(name: string, data: unknown): string {
  const dir = resultsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ ...(data as object), recordedAt: new Date().toISOString() }, null, 2)}\n`);
  return file;
}

export function machineInfo(): Record<string, unknown> {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? null,
  };
}

/** Run `concurrency` loops calling `fn` for `durationMs`; returns latencies and throughput. */
export async function closedLoop(
  fn: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
): Promise<{ rps: number; latencies: number[] }> {
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        await fn();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = performance.now() - t0;
  return { rps: (latencies.length / elapsed) * 1000, latencies };
}
