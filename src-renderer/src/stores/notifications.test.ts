import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { NotifyResponse } from '@contracts/realtime';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { useNotificationsStore } from './notifications';

const answer = (id: number, title: string, recipientOnline?: boolean): NotifyResponse => ({
  success: true,
  notification: {
    id,
    recipientId: recipientOnline === undefined ? null : 7,
    senderId: 1,
    audience: null,
    type: 'general',
    title,
    message: '',
    metadata: {},
    read: false,
    createdAt: '2026-01-01T00:00:00Z',
  },
  ...(recipientOnline === undefined ? {} : { recipientOnline }),
});

describe('useNotificationsStore: the sent list', () => {
  let transport: MemoryTransport;
  let realtimeDown: boolean;
  let nextId: number;
  let release: (() => void) | null;

  beforeEach(() => {
    setActivePinia(createPinia());
    realtimeDown = false;
    nextId = 1;
    release = null;
    const reply = async (title: string, online?: boolean) => {
      // Held open while a test looks at the in-flight state.
      if (release === null) await new Promise<void>((r) => (release = r));
      return realtimeDown
        ? { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'realtime is restarting' } } }
        : { status: 200, body: answer(nextId++, title, online) };
    };
    transport = new MemoryTransport()
      .on('POST', 'realtime', /^\/api\/notify$/, (req) => reply((req.body as { title: string }).title, true))
      .on('POST', 'realtime', /^\/api\/broadcast$/, (req) => reply((req.body as { title: string }).title));
    installApi(new ApiClient(transport)).setToken('t');
  });

  const body = (title: string) => ({ type: 'general', title, message: '' });

  it('counts a send in flight, then lists it with its delivery', async () => {
    const s = useNotificationsStore();
    const p = s.send({ kind: 'user', user: { id: 7, username: 'ann', name: 'Ann' } }, body('Hello'));
    expect(s.sending).toBe(1);
    expect(s.sent).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 0));
    release!();
    await p;
    expect(s.sending).toBe(0);
    expect(s.sent.map((n) => [n.title, n.delivery])).toEqual([['Hello', 'live']]);
    expect(s.sendError).toBeNull();
  });

  it('keeps a failed send as the error, and retryLast sends the same one again', async () => {
    release = () => undefined;
    realtimeDown = true;
    const s = useNotificationsStore();
    await expect(s.send({ kind: 'role', role: 'teacher' }, body('Staff meeting'))).rejects.toThrow(
      'realtime is restarting',
    );
    expect(s.sendError).toBe('realtime is restarting');
    expect(s.sending).toBe(0);
    expect(s.sent).toHaveLength(0);

    realtimeDown = false;
    const again = await s.retryLast();
    expect(again?.title).toBe('Staff meeting');
    expect(s.sendError).toBeNull();
    expect(s.sent.map((n) => [n.title, n.delivery])).toEqual([['Staff meeting', 'broadcast']]);
    const sentBodies = transport.requests.map((r) => r.body as { title: string; role?: string });
    expect(sentBodies).toEqual([
      { type: 'general', title: 'Staff meeting', message: '', role: 'teacher' },
      { type: 'general', title: 'Staff meeting', message: '', role: 'teacher' },
    ]);
    // Nothing failed since: nothing to retry.
    expect(await s.retryLast()).toBeNull();
    expect(transport.requests).toHaveLength(2);
  });
});
