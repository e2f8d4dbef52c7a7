import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps everything until it is full', () => {
    const b = new RingBuffer<number>(3);
    b.push(1);
    b.push(2);
    expect(b.size).toBe(2);
    expect(b.last()).toEqual([1, 2]);
  });

  it('evicts the oldest once full, and keeps order across the wrap', () => {
    const b = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) b.push(i);
    expect(b.size).toBe(3);
    expect(b.last()).toEqual([5, 6, 7]);
    b.push(8);
    expect(b.last()).toEqual([6, 7, 8]);
  });

  it('last(n) gives the newest n, oldest first, and clamps n', () => {
    const b = new RingBuffer<string>(4);
    for (const s of ['a', 'b', 'c', 'd', 'e']) b.push(s);
    expect(b.last(2)).toEqual(['d', 'e']);
    expect(b.last(0)).toEqual([]);
    expect(b.last(-1)).toEqual([]);
    expect(b.last(99)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('works with a capacity of one', () => {
    const b = new RingBuffer<number>(1);
    b.push(1);
    b.push(2);
    expect(b.last()).toEqual([2]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %s', (n) => {
    expect(() => new RingBuffer(n)).toThrow(new RangeError('capacity must be a positive integer'));
  });
});
