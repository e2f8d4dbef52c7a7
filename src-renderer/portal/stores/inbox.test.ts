import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Notification } from '@contracts/realtime';
import { startLiveServer, until, type LiveServer } from '../testing/live-server';
import { signedIn } from '../testing/signed-in';
import { ask, useInboxStore } from './inbox';
import { useLiveStore } from './live';

const note = (id: number, read = false): Notification => ({
  id,
  recipientId: 3,
  senderId: 9,
  audience: null,
  type: 'course_announcement',
  title: `Note ${id}`,
  message: 'hello',
  metadata: {},
  read,
  createdAt: '2026-12-03T08:00:00Z',
});

describe('useInboxStore: unread on connect, new ones live, mark read', () => {
  let server: LiveServer;
  /** the server side's unread list, and what mark-read was asked for */
  let unread: Notification[];
  let marked: number[][];
  let failMarkRead: boolean;

  beforeEach(async () => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    server = await startLiveServer();
    server.tokens.add('tok-inbox');
    unread = [note(1), note(2)];
    marked = [];
    failMarkRead = false;
    server.onConnection('/', (s) => {
      s.on('notification:getUnread', (_p, ack) => ack({ success: true, notifications: unread }));
      s.on('notification:markRead', (p: { notificationIds: number[] }, ack) => {
        if (failMarkRead) return ack({ success: false, error: 'storage is busy; try again' });
        marked.push(p.notificationIds);
        unread = unread.filter((n) => !p.notificationIds.includes(n.id));
        ack({ success: true, updated: p.notificationIds.length });
      });
    });
    await signedIn(3, 'tok-inbox');
  });
  afterEach(async () => {
    useLiveStore().closeAll();
    await server.close();
  });

  it('loads the unread ones on connect, newest first, and counts them', async () => {
    const inbox = useInboxStore();
    inbox.start();
    inbox.start(); // idempotent: one listener, one load per connect
    await until(() => inbox.loaded);
    expect(inbox.items.map((n) => n.id)).toEqual([2, 1]);
    expect(inbox.unreadCount).toBe(2);
  });

  it('a new notification arrives live and raises the badge; a repeat of the same id does not', async () => {
    const inbox = useInboxStore();
    inbox.start();
    await until(() => inbox.loaded);
    server.emit('/', 'notification:new', note(5));
    server.emit('/', 'notification:new', note(5));
    server.emit('/', 'notification:new', { title: 'no id' });
    await until(() => inbox.items.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(inbox.items.map((n) => n.id)).toEqual([5, 2, 1]);
    expect(inbox.unreadCount).toBe(3);
  });

  it('marks one or all read; read ones stay listed (dimmed) after a refresh', async () => {
    const inbox = useInboxStore();
    inbox.start();
    await until(() => inbox.loaded);
    await inbox.markRead([1]);
    expect(marked).toEqual([[1]]);
    expect(inbox.unreadCount).toBe(1);
    await inbox.refresh(); // the server no longer lists 1 as unread
    expect(inbox.items.map((n) => [n.id, n.read])).toEqual([
      [2, false],
      [1, true],
    ]);
    await inbox.markRead();
    expect(marked).toEqual([[1], [2]]);
    expect(inbox.unreadCount).toBe(0);
    await inbox.markRead(); // nothing unread: nothing sent
    expect(marked).toHaveLength(2);
  });

  it("a refused mark-read leaves them unread and says the server's reason", async () => {
    const inbox = useInboxStore();
    inbox.start();
    await until(() => inbox.loaded);
    failMarkRead = true;
    await inbox.markRead();
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.error).toBe('storage is busy; try again');
    failMarkRead = false;
    await inbox.markRead();
    expect(inbox.error).toBeNull();
    expect(inbox.unreadCount).toBe(0);
  });

  it('re-reads the unread list after a reconnect (what came while down was not pushed)', async () => {
    const inbox = useInboxStore();
    inbox.start();
    await until(() => inbox.loaded);
    await server.stop();
    unread = [...unread, note(7)];
    await server.start();
    await until(() => inbox.items.some((n) => n.id === 7), 10_000);
    expect(inbox.unreadCount).toBe(3);
  }, 15_000);

  it('ask(): no answer in time is a plain message, not a hang', async () => {
    useLiveStore().socket('/');
    await until(() => useLiveStore().state('/') === 'live');
    await expect(ask('/', 'notification:unheard', {}, 200)).rejects.toThrow(
      'The server did not answer. Check your connection.',
    );
  });
});
