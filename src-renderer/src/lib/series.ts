/** One sample of the throttler's cumulative counters. */
export interface CounterSample {
  at: number;
  emitted: number;
  coalesced: number;
}

/** Per-interval rates from cumulative samples (a counter reset, e.g. a realtime restart, counts as 0). */
export interface RatePoint {
  at: number;
  emitted: number;
  coalesced: number;
}

export function toRates(samples: readonly CounterSample[]): RatePoint[] {
  const out: RatePoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const secs = Math.max(0.001, (b.at - a.at) / 1000);
    const de = b.emitted - a.emitted;
    const dc = b.coalesced - a.coalesced;
    out.push({ at: b.at, emitted: de < 0 ? 0 : de / secs, coalesced: dc < 0 ? 0 : dc / secs });
  }
  return out;
}

/** SVG polyline points for values scaled into a width×height box (y grows downwards). */
export function polylinePoints(values: readonly number[], width: number, height: number, max: number): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const top = max > 0 ? max : 1;
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - (Math.min(v, top) / top) * height).toFixed(1)}`)
    .join(' ');
}

/** A round axis maximum at or above `v` (1, 2, 5 × 10^n). */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * SVG polyline points for timed values placed by their time in [from, to] (ms), so a short
 * history sits at the right end of a 15-minute axis instead of being stretched across it.
 */
export function timedPolylinePoints(
  points: readonly { at: number; value: number }[],
  from: number,
  to: number,
  width: number,
  height: number,
  max: number,
): string {
  const span = Math.max(1, to - from);
  const top = max > 0 ? max : 1;
  return points
    .filter((p) => p.at >= from && p.at <= to)
    .map((p) => {
      const x = ((p.at - from) / span) * width;
      const y = height - (Math.min(p.value, top) / top) * height;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}
