import { describe, expect, it } from 'vitest';
import { niceMax, polylinePoints, toRates } from './series';

describe('throttler chart series', () => {
  it('turns cumulative counters into per-second rates and treats a reset as zero', () => {
    const rates = toRates([
      { at: 0, emitted: 0, coalesced: 0 },
      { at: 2000, emitted: 10, coalesced: 100 },
      { at: 4000, emitted: 2, coalesced: 0 },
    ]);
    expect(rates).toEqual([
      { at: 2000, emitted: 5, coalesced: 50 },
      { at: 4000, emitted: 0, coalesced: 0 },
    ]);
  });

  it('scales points into the box with y growing downwards', () => {
    expect(polylinePoints([0, 5, 10], 100, 50, 10)).toBe('0.0,50.0 50.0,25.0 100.0,0.0');
    expect(polylinePoints([], 100, 50, 10)).toBe('');
  });

  it('rounds the axis maximum up to 1, 2 or 5 times a power of ten', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(17)).toBe(20);
    expect(niceMax(480)).toBe(500);
    expect(niceMax(1000)).toBe(1000);
  });
});
