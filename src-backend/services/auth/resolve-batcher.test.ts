import { describe, expect, it } from 'vitest';
import { Batcher } from './resolve-batcher.js';

describe('Batcher', () => {
  it('coalesces lookups of one turn into one call, asks duplicates once and answers each caller', async () => {
    const calls: string[][] = [];
    const b = new Batcher<string>(async (keys) => {
      calls.push(keys);
      return keys.map((k) => (k === 'dead' ? null : k.toUpperCase()));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'dead'].map((k) => b.load(k)));
    expect(answers).toEqual(['A', 'B', 'A', null]);
    expect(calls).toEqual([['a', 'b', 'dead']]);
    expect(await b.load('c')).toBe('C');
    expect(calls).toHaveLength(2);
  });

  it('splits at the batch cap and fails every waiter of a failed batch', async () => {
    const sizes: number[] = [];
    const b = new Batcher<number>(async (keys) => {
      sizes.push(keys.length);
      if (keys.includes('boom')) throw new Error('data_node down');
      return keys.map(Number);
    }, 3);
    expect(await Promise.all(['1', '2', '3', '4', '5'].map((k) => b.load(k)))).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toEqual([3, 2]);
    const failing = [b.load('boom'), b.load('7')];
    await expect(Promise.all(failing)).rejects.toThrow('data_node down');
    await expect(failing[1]).rejects.toThrow('data_node down');
  });
});
