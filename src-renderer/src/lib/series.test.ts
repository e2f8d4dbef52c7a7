import { describe, expect, it } from 'vitest';
import { niceMax, polylinePoints, timedPolylinePoints, toRates } from './series';

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

describe('timedPolylinePoints', () => {
  it('places points by their time, so a short history sits at the right end', () => {
    // a 100 s axis 100 wide: samples at 90 s and 100 s land at x 90 and 100, not 0 and 100
    const pts = timedPolylinePoints(
      [
        { at: -5_000, value: 5 }, // before the axis: left out
        { at: 90_000, value: 0 },
        { at: 100_000, value: 10 },
      ],
      0,
      100_000,
      100,
      50,
      10,
    );
    expect(pts).toBe('90.0,50.0 100.0,0.0');
  });
});
