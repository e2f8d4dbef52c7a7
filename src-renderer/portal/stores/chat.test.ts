import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ChatMessage } from '@contracts/realtime';
import { startLiveServer, until, type LiveServer } from '../testing/live-server';
import { signedIn } from '../testing/signed-in';
import { useChatStore } from './chat';
import { useLiveStore } from './live';

const ME = 3;
const TEACHER = 9;
let nextId = 100;
const msg = (senderId: number, receiverId: number, text: string, readAt: string | null = null): ChatMessage => ({
  id: nextId++,
  senderId,
  receiverId,
  message: text,
  createdAt: '2026-12-03T08:00:00Z',
  readAt,
});

describe('useChatStore: conversations, typing, read receipts, online', () => {
  let server: LiveServer;
  let history: ChatMessage[];
  let typingSent: { receiverId: number; isTyping?: boolean }[];
  let markReadAsked: number[];

  beforeEach(async () => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    server = await startLiveServer();
    server.tokens.add('tok-chat');
    history = [msg(TEACHER, ME, 'Welcome to ALG'), msg(ME, TEACHER, 'Thanks!', '2026-12-03T08:01:00Z')];
    typingSent = [];
    markReadAsked = [];
    server.onConnection('/', (s) => {
      s.on('chat:getMessages', (_p, ack) => ack({ success: true, messages: history }));
      s.on('chat:getOnlineStatus', (p: { userIds: number[] }, ack) =>
        ack({ success: true, statuses: Object.fromEntries(p.userIds.map((id) => [id, id === TEACHER])) }),
      );
      s.on('chat:markRead', (p: { senderId: number }, ack) => {
        markReadAsked.push(p.senderId);
        const ids = history.filter((m) => m.senderId === p.senderId && m.readAt === null).map((m) => m.id);
        ack({ success: true, messageIds: ids });
      });
      s.on('chat:typing', (p) => typingSent.push(p));
      s.on('chat:send', (p: { receiverId: number; message: string }, ack) => {
        if (p.message.includes('forbidden')) return ack({ success: false, error: 'you may not write to this user' });
        ack({ success: true, message: msg(ME, p.receiverId, p.message) });
      });
    });
    await signedIn(ME, 'tok-chat');
  });
  afterEach(async () => {
    useLiveStore().closeAll();
    await server.close();
  });

  it('shows who is online among the contacts, and follows presence events', async () => {
    const chat = useChatStore();
    chat.setContacts([
      { id: TEACHER, name: 'Dr. T', about: 'teaches ALG' },
      { id: 11, name: 'Dr. U', about: 'teaches DB' },
    ]);
    await until(() => chat.online[TEACHER] === true);
    expect(chat.online[11]).toBe(false);
    server.emit('/', 'user:online', { userId: 11, timestamp: 'now' });
    server.emit('/', 'user:offline', { userId: TEACHER, timestamp: 'now' });
    await until(() => chat.online[11] === true && chat.online[TEACHER] === false);
  });

  it('opening a conversation loads it and marks what they sent read: the unread count drops to 0', async () => {
    const chat = useChatStore();
    chat.setContacts([{ id: TEACHER, name: 'Dr. T', about: 'teaches ALG' }]);
    await until(() => useLiveStore().state('/') === 'live');
    server.emit('/', 'chat:message', msg(TEACHER, ME, 'Office hours moved'));
    await until(() => chat.totalUnread === 1);
    await chat.open(TEACHER);
    expect(chat.conversations[TEACHER]!.map((m) => m.message)).toEqual(['Welcome to ALG', 'Thanks!']);
    expect(markReadAsked).toEqual([TEACHER]);
    expect(chat.unreadFrom(TEACHER)).toBe(0);
    expect(chat.totalUnread).toBe(0);
    await chat.markRead(TEACHER); // nothing unread: not asked again
    expect(markReadAsked).toHaveLength(1);
  });

  it('a message in the open conversation is read at once; a message elsewhere counts as unread', async () => {
    const chat = useChatStore();
    chat.setContacts([{ id: TEACHER, name: 'Dr. T', about: 'teaches ALG' }]);
    await chat.open(TEACHER);
    markReadAsked = [];
    const incoming = msg(TEACHER, ME, 'See you Monday');
    history = [...history, incoming];
    server.emit('/', 'chat:message', incoming);
    await until(() => markReadAsked.length === 1);
    await until(() => chat.unreadFrom(TEACHER) === 0);
    // a stranger writing in becomes a contact, with an unread message
    server.emit('/', 'chat:message', msg(42, ME, 'Hi, I am your TA'));
    await until(() => chat.contacts.some((c) => c.id === 42));
    expect(chat.unreadFrom(42)).toBe(1);
    expect(chat.totalUnread).toBe(1);
    expect(markReadAsked).toEqual([TEACHER]);
  });

  it('read receipts mark my messages read; typing shows and ends with their message', async () => {
    const chat = useChatStore();
    chat.setContacts([{ id: TEACHER, name: 'Dr. T', about: 'teaches ALG' }]);
    await chat.open(TEACHER);
    expect(await chat.send(TEACHER, '  Question about the exam  ')).toBe(true);
    const mine = chat.conversations[TEACHER]!.at(-1)!;
    expect(mine).toMatchObject({ message: 'Question about the exam', readAt: null });
    server.emit('/', 'chat:readReceipt', { readerId: TEACHER, messageIds: [mine.id], readAt: '2026-12-03T09:00:00Z' });
    await until(() => mine.readAt !== null);
    expect(chat.conversations[TEACHER]!.at(-1)!.readAt).toBe('2026-12-03T09:00:00Z');

    server.emit('/', 'chat:typing', { senderId: TEACHER, isTyping: true });
    await until(() => chat.typing[TEACHER] === true);
    server.emit('/', 'chat:message', msg(TEACHER, ME, 'It is on Friday'));
    await until(() => chat.typing[TEACHER] === false);
  });

  it('sends typing at most every 2 s while keys are pressed, and "stopped" at once', async () => {
    const chat = useChatStore();
    chat.setContacts([{ id: TEACHER, name: 'Dr. T', about: 'teaches ALG' }]);
    await until(() => useLiveStore().state('/') === 'live');
    chat.typed(TEACHER, true);
    chat.typed(TEACHER, true);
    chat.typed(TEACHER, true);
    chat.typed(TEACHER, false);
    chat.typed(TEACHER, true);
    await until(() => typingSent.length === 3);
    expect(typingSent).toEqual([
      { receiverId: TEACHER, isTyping: true },
      { receiverId: TEACHER, isTyping: false },
      { receiverId: TEACHER, isTyping: true },
    ]);
  });

  it("an empty message is not sent; a refused one keeps the server's reason and adds nothing", async () => {
    const chat = useChatStore();
    chat.setContacts([{ id: TEACHER, name: 'Dr. T', about: 'teaches ALG' }]);
    await chat.open(TEACHER);
    const before = chat.conversations[TEACHER]!.length;
    expect(await chat.send(TEACHER, '   ')).toBe(false);
    expect(await chat.send(TEACHER, 'forbidden words')).toBe(false);
    expect(chat.error).toBe('you may not write to this user');
    expect(chat.conversations[TEACHER]).toHaveLength(before);
    expect(await chat.send(TEACHER, 'ok then')).toBe(true);
    expect(chat.error).toBeNull();
  });
});
