import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Notification } from '@contracts/realtime';
import { startLiveServer, until, type LiveServer } from '../testing/live-server';
import { signedIn } from '../testing/signed-in';
import { useChatStore } from './chat';
import { useInboxStore } from './inbox';
import { useLiveStore } from './live';
import { resetPortalStores } from './reset';
import { useSelectionStore } from './selection';

const noteFor = (recipientId: number, id: number): Notification => ({
  id,
  recipientId,
  senderId: null,
  audience: null,
  type: 'info',
  title: `For ${recipientId}`,
  message: '',
  metadata: {},
  read: false,
  createdAt: '2026-12-03T08:00:00Z',
});

describe('resetPortalStores: the next person at this browser sees nothing of the last', () => {
  let server: LiveServer;

  beforeEach(async () => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    server = await startLiveServer();
    server.tokens.add('tok-a').add('tok-b');
    // each session's unread list is its own
    server.onConnection('/', (s) =>
      s.on('notification:getUnread', (_p, ack) =>
        ack({
          success: true,
          notifications: s.handshake.auth.token === 'tok-a' ? [noteFor(3, 1), noteFor(3, 2)] : [noteFor(4, 9)],
        }),
      ),
    );
  });
  afterEach(async () => {
    useLiveStore().closeAll();
    await server.close();
  });

  it('closes the sockets, empties the stores, and lets the next user start afresh', async () => {
    await signedIn(3, 'tok-a');
    const inbox = useInboxStore();
    const chat = useChatStore();
    inbox.start();
    chat.setContacts([{ id: 9, name: 'Dr. T', about: 'teaches ALG' }]);
    await until(() => inbox.items.length === 2);
    expect(server.connected('/')).toHaveLength(1);

    resetPortalStores();
    expect(inbox.items).toEqual([]);
    expect(inbox.unreadCount).toBe(0);
    expect(chat.contacts).toEqual([]);
    expect(useSelectionStore().attempts).toEqual({});
    expect(useLiveStore().state('/')).toBe('idle');
    await until(() => server.connected('/').length === 0);

    await signedIn(4, 'tok-b');
    inbox.start(); // started again: the reset forgot it had been
    await until(() => inbox.loaded && inbox.items.length === 1);
    expect(inbox.items.map((n) => n.recipientId)).toEqual([4]);
    expect(server.connected('/').map((s) => s.handshake.auth.token)).toEqual(['tok-b']);
  });
});
