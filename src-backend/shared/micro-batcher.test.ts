import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchOverflowError, MicroBatcher } from './micro-batcher.js';

/** A send that records each batch and answers it when the test opens its gate. */
function gatedSend<T>() {
  const batches: T[][] = [];
  const gates: Array<() => void> = [];
  let active = 0;
  let maxActive = 0;
  const send = async (items: T[]): Promise<string[]> => {
    batches.push(items);
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((r) => gates.push(r));
    active--;
    return items.map((i) => `r:${String(i)}`);
  };
  const openAll = () => gates.splice(0).forEach((open) => open());
  return { batches, send, openAll, peak: () => maxActive };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('MicroBatcher: the window', () => {
  afterEach(() => vi.useRealTimers());

  it('waits windowMs after the first item, then sends everything that came meanwhile as one call', async () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>({
      windowMs: 10,
      maxBatch: 100,
      send: async (items) => {
        batches.push(items);
        return items.map((i) => i * 2);
      },
    });
    const first = b.submit(1);
    vi.advanceTimersByTime(6);
    const second = b.submit(2);
    vi.advanceTimersByTime(3);
    expect(batches).toEqual([]); // the window runs from the first item, not the last
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2]]);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    const third = b.submit(3);
    vi.advanceTimersByTime(10);
    expect(await third).toBe(6);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('a full batch goes at once, without waiting for the window', async () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const b = new MicroBatcher<number>({
      windowMs: 1000,
      maxBatch: 3,
      send: async (items) => void batches.push(items),
    });
    for (const i of [1, 2, 3, 4]) b.push(i);
    expect(batches).toEqual([[1, 2, 3]]);
    vi.advanceTimersByTime(999);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('paced: items that arrive while a call is out still wait for their window; those that waited longer go as it returns', async () => {
    vi.useFakeTimers();
    const g = gatedSend<number>();
    const b = new MicroBatcher<number, string>({
      windowMs: 50,
      maxBatch: 100,
      maxInFlight: 1,
      paced: true,
      send: g.send,
    });
    b.push(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(g.batches).toEqual([[1]]);
    b.push(2); // t = 50: its window closes at 100
    await vi.advanceTimersByTimeAsync(10);
    b.push(3);
    await vi.advanceTimersByTimeAsync(10);
    g.openAll(); // t = 70: the call returns early; 2 and 3 keep waiting
    await vi.advanceTimersByTimeAsync(29);
    expect(g.batches).toEqual([[1]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(g.batches).toEqual([[1], [2, 3]]);
    b.push(4); // t = 100, while [2, 3] is out: its window passes before that call returns
    await vi.advanceTimersByTimeAsync(80);
    expect(g.batches).toHaveLength(2);
    g.openAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(g.batches).toEqual([[1], [2, 3], [4]]);
    g.openAll();
  });

  it('windowMs 0 collects one event-loop turn', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number>({ windowMs: 0, maxBatch: 100, send: async (items) => void batches.push(items) });
    b.push(1);
    await Promise.resolve();
    b.push(2);
    expect(batches).toEqual([]);
    await turn();
    expect(batches).toEqual([[1, 2]]);
  });
});

describe('MicroBatcher: calls in flight', () => {
  it('never has more than maxInFlight calls out; what waits meanwhile goes together when one returns', async () => {
    const g = gatedSend<number>();
    const b = new MicroBatcher<number, string>({ windowMs: 0, maxBatch: 2, maxInFlight: 2, send: g.send });
    const answers = [1, 2, 3, 4, 5, 6, 7].map((i) => b.submit(i));
    await turn();
    expect(g.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b.inFlight).toBe(2);
    expect(b.queued).toBe(3);
    g.openAll();
    await vi.waitFor(() => expect(g.batches).toHaveLength(4));
    expect(g.batches.slice(2)).toEqual([[5, 6], [7]]);
    g.openAll();
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `r:${i}`));
    expect(g.peak()).toBe(2);
    expect(b.inFlight).toBe(0);
  });

  it('a failed call fails every caller in it and no other', async () => {
    const b = new MicroBatcher<string, string>({
      windowMs: 0,
      maxBatch: 2,
      send: async (items) => {
        if (items.includes('boom')) throw new Error('data_node down');
        return items.map((i) => i.toUpperCase());
      },
    });
    const answers = await Promise.allSettled(['a', 'boom', 'c'].map((i) => b.submit(i)));
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
      'data_node down',
      'data_node down',
      'C',
    ]);
  });

  it('an answer of the wrong length fails the batch instead of answering callers with the wrong result', async () => {
    const b = new MicroBatcher<number, number>({ windowMs: 0, maxBatch: 10, send: async () => [1] });
    await expect(Promise.all([b.submit(1), b.submit(2)])).rejects.toThrow('a batch of 2 was answered with 1 results');
  });

  it('drain sends what waits and resolves once no call is out', async () => {
    const g = gatedSend<number>();
    const b = new MicroBatcher<number, string>({ windowMs: 60_000, maxBatch: 100, maxInFlight: 1, send: g.send });
    b.push(1);
    let drained = false;
    const done = b.drain().then(() => (drained = true));
    expect(g.batches).toEqual([[1]]);
    await turn();
    expect(drained).toBe(false);
    g.openAll();
    await done;
    expect(b.inFlight).toBe(0);
  });
});

describe('MicroBatcher: de-duplication and the queue cap', () => {
  it('items with the same key in one batch are sent once and every caller gets the answer', async () => {
    const g = gatedSend<string>();
    const b = new MicroBatcher<string, string>({ windowMs: 0, maxBatch: 100, key: (k) => k, send: g.send });
    const answers = ['a', 'b', 'a', 'a', 'c'].map((k) => b.submit(k));
    await turn();
    expect(g.batches).toEqual([['a', 'b', 'c']]);
    // once sent, the same key starts a new item: its answer may differ from the one in flight
    const later = b.submit('a');
    await turn();
    expect(g.batches).toEqual([['a', 'b', 'c'], ['a']]);
    g.openAll();
    expect(await Promise.all([...answers, later])).toEqual(['r:a', 'r:b', 'r:a', 'r:a', 'r:c', 'r:a']);
  });

  it('duplicates do not count towards maxBatch', async () => {
    const g = gatedSend<string>();
    const b = new MicroBatcher<string, string>({ windowMs: 60_000, maxBatch: 2, key: (k) => k, send: g.send });
    for (const k of ['x', 'x', 'x']) void b.submit(k);
    expect(g.batches).toEqual([]);
    void b.submit('y');
    expect(g.batches).toEqual([['x', 'y']]);
    g.openAll();
  });

  it('beyond maxQueued the oldest item is dropped and its caller told so', async () => {
    const g = gatedSend<number>();
    const b = new MicroBatcher<number, string>({
      windowMs: 0,
      maxBatch: 2,
      maxInFlight: 1,
      maxQueued: 3,
      send: g.send,
    });
    const answers = [1, 2, 3, 4, 5, 6].map((i) => b.submit(i));
    // [1, 2] went at once; 3..6 wait for the one call, and 3 gave way to 6
    await expect(answers[2]).rejects.toBeInstanceOf(BatchOverflowError);
    g.openAll();
    await vi.waitFor(() => expect(g.batches).toHaveLength(2));
    g.openAll();
    await vi.waitFor(() => expect(g.batches).toHaveLength(3));
    g.openAll();
    expect(g.batches).toEqual([[1, 2], [4, 5], [6]]);
    expect(await Promise.all([answers[0], answers[1], answers[3], answers[4], answers[5]])).toEqual(
      [1, 2, 4, 5, 6].map((i) => `r:${i}`),
    );
  });

  it('discard rejects what waits and sends nothing', async () => {
    const sent: number[][] = [];
    const b = new MicroBatcher<number>({ windowMs: 60_000, maxBatch: 10, send: async (i) => void sent.push(i) });
    const waiting = b.submit(1);
    b.discard(new Error('closing'));
    await expect(waiting).rejects.toThrow('closing');
    await b.drain();
    expect(sent).toEqual([]);
  });
});
