import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { LogEvent } from '@contracts/realtime';
import { LOG_BUFFER_CAP, useLogsStore } from './logs';

const ev = (seq: number, over: Partial<LogEvent> = {}): LogEvent => ({
  seq,
  text: `message ${seq}`,
  level: 'info',
  service: 'auth_node',
  timestamp: new Date(1_700_000_000_000 + seq).toISOString(),
  ...over,
});

describe('useLogsStore', () => {
  let frames: (() => void)[];
  beforeEach(() => {
    setActivePinia(createPinia());
    frames = [];
  });

  function store() {
    const s = useLogsStore();
    s.setScheduler((cb) => frames.push(cb));
    return s;
  }
  const runFrame = () => frames.splice(0).forEach((f) => f());

  it('applies a burst as one batch per frame, not one update per line', () => {
    const s = store();
    for (let i = 1; i <= 5000; i++) s.ingest(ev(i));
    expect(frames).toHaveLength(1);
    expect(s.visible).toHaveLength(0);
    const before = s.visible;
    runFrame();
    expect(s.visible).toHaveLength(5000);
    expect(s.visible).not.toBe(before);
    expect(s.visible[4999]!.seq).toBe(5000);
  });

  it('caps the buffer and drops the oldest lines from the view too', () => {
    const s = store();
    for (let i = 1; i <= LOG_BUFFER_CAP + 500; i++) s.ingest(ev(i));
    runFrame();
    expect(s.lines).toHaveLength(LOG_BUFFER_CAP);
    expect(s.lines[0]!.seq).toBe(501);
    expect(s.visible[0]!.seq).toBe(501);
    s.ingest(ev(LOG_BUFFER_CAP + 501));
    runFrame();
    expect(s.visible[0]!.seq).toBe(502);
    expect(s.visible).toHaveLength(LOG_BUFFER_CAP);
  });

  it('holds lines back while paused and shows them on resume', () => {
    const s = store();
    s.ingest(ev(1));
    runFrame();
    s.pause();
    s.ingest(ev(2));
    s.ingest(ev(3));
    runFrame();
    expect(s.visible.map((l) => l.seq)).toEqual([1]);
    expect(s.heldBack).toBe(2);
    s.resume();
    expect(s.visible.map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(s.heldBack).toBe(0);
  });

  it('refilters the whole buffer when a filter changes', async () => {
    const s = store();
    s.ingest(ev(1, { level: 'debug' }));
    s.ingest(ev(2, { level: 'error', service: 'data_node' }));
    s.ingest(ev(3, { level: 'info', text: 'user alice created' }));
    runFrame();
    s.setFilter({ minLevel: 'info' });
    await Promise.resolve();
    expect(s.visible.map((l) => l.seq)).toEqual([2, 3]);
    s.setFilter({ minLevel: '', search: 'alice' });
    await Promise.resolve();
    expect(s.visible.map((l) => l.seq)).toEqual([3]);
    // New lines respect the active filter as they arrive.
    s.ingest(ev(4, { text: 'alice signed in' }));
    s.ingest(ev(5, { text: 'bob signed in' }));
    runFrame();
    expect(s.visible.map((l) => l.seq)).toEqual([3, 4]);
    expect(s.knownServices).toEqual(['auth_node', 'data_node']);
  });

  it('merges a backlog in seq order without duplicating lines it already has', () => {
    const s = store();
    s.ingest(ev(10));
    s.ingest(ev(11));
    runFrame();
    s.mergeBacklog([ev(8), ev(9), ev(10)]);
    expect(s.lines.map((l) => l.seq)).toEqual([8, 9, 10, 11]);
    expect(s.visible.map((l) => l.seq)).toEqual([8, 9, 10, 11]);
    // ids stay strictly increasing in display order after the merge
    const ids = s.lines.map((l) => l.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });
});
