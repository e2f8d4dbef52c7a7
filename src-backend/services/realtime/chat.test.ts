import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ChatMessage, ChatReadReceipt, PresenceEvent } from '../../contracts/realtime.js';
import type { TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import {
  ask,
  collect,
  connect,
  next,
  seedUsers,
  sleep,
  startRealtimeStack,
  type SeededUser,
} from './testing/rt-harness.js';
import { RealtimeRoutes } from '../../contracts/routes/realtime.js';

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const HOOK_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: 30_000 });

let stack: TestStack;
let url: string;
let alice: SeededUser;
let bob: SeededUser;
let carol: SeededUser;
const open: Socket[] = [];
const track = (s: Socket) => (open.push(s), s);

beforeAll(async () => {
  stack = await startRealtimeStack();
  url = stack.httpUrl('realtime');
  [alice, bob, carol] = await seedUsers(stack, [
    { role: 'student', group: 'g1' },
    { role: 'student', group: 'g1' },
    { role: 'teacher' },
  ]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const s of open) s.close();
  await stack?.stop();
}, HOOK_TIMEOUT_MS);

describe('chat on the default namespace and on /chat', () => {
  it('chat:send is acked with {success, message} and reaches the receiver on every chat namespace', async () => {
    const a = track(await connect(url, '/', alice.token));
    const bDefault = track(await connect(url, '/', bob.token));
    const bChat = track(await connect(url, '/chat', bob.token));
    const onDefault = next<ChatMessage>(bDefault, 'chat:message');
    const onChat = next<ChatMessage>(bChat, 'chat:message');
    const ack = await ask<{ success: boolean; message: ChatMessage }>(a, 'chat:send', {
      receiverId: bob.id,
      message: 'Hello!',
    });
    expect(ack.success).toBe(true);
    expect(ack.message).toMatchObject({ senderId: alice.id, receiverId: bob.id, message: 'Hello!', readAt: null });
    expect(await onDefault).toEqual(ack.message);
    expect(await onChat).toEqual(ack.message);
  });

  it('chat:typing reaches the receiver with the sender id', async () => {
    const a = track(await connect(url, '/chat', alice.token));
    const b = track(await connect(url, '/chat', bob.token));
    const typing = next(b, 'chat:typing');
    a.emit('chat:typing', { receiverId: bob.id, isTyping: true });
    expect(await typing).toEqual({ senderId: alice.id, isTyping: true });
  });

  it('chat:getMessages pages the conversation, chat:markRead answers the sender with chat:readReceipt', async () => {
    const a = track(await connect(url, '/', alice.token));
    const b = track(await connect(url, '/', bob.token));
    const m1 = await ask<{ message: ChatMessage }>(a, 'chat:send', { receiverId: carol.id, message: 'one' });
    const m2 = await ask<{ message: ChatMessage }>(a, 'chat:send', { receiverId: carol.id, message: 'two' });
    const c = track(await connect(url, '/chat', carol.token));
    const history = await ask<{ success: boolean; messages: ChatMessage[] }>(c, 'chat:getMessages', {
      userId: alice.id,
    });
    expect(history.messages.map((m) => m.message)).toEqual(['two', 'one']);
    const older = await ask<{ messages: ChatMessage[] }>(c, 'chat:getMessages', {
      userId: alice.id,
      beforeId: m2.message.id,
      limit: 5,
    });
    expect(older.messages.map((m) => m.id)).toEqual([m1.message.id]);

    const receipt = next<ChatReadReceipt>(a, 'chat:readReceipt');
    const read = await ask<{ success: boolean; messageIds: number[] }>(c, 'chat:markRead', { senderId: alice.id });
    expect(read).toEqual({ success: true, messageIds: [m1.message.id, m2.message.id] });
    const r = await receipt;
    expect(r.readerId).toBe(carol.id);
    expect(r.messageIds).toEqual([m1.message.id, m2.message.id]);
    // bob was never part of it
    const stray = collect(b, 'chat:readReceipt');
    await sleep(100);
    expect(stray).toHaveLength(0);
  });

  it('chat:getOnlineStatus reports who has a socket open', async () => {
    const [away] = await seedUsers(stack, [{ role: 'student' }]);
    // a teacher: students learn only about classmates and chat partners (abuse.test.ts)
    const c = track(await connect(url, '/', carol.token));
    const res = await ask<{ success: boolean; statuses: Record<string, boolean> }>(c, 'chat:getOnlineStatus', {
      userIds: [carol.id, away!.id],
    });
    expect(res).toEqual({ success: true, statuses: { [carol.id]: true, [away!.id]: false } });
  });

  it('user:online when a user connects, user:offline when their last socket closes', async () => {
    const [dave] = await seedUsers(stack, [{ role: 'student' }]);
    const watcher = track(await connect(url, '/', carol.token)); // staff hear everyone
    const quiet = track(await connect(url, '/', bob.token, { auth: { token: bob.token, presence: false } }));
    const events = collect<PresenceEvent>(watcher, 'user:online');
    const offline = collect<PresenceEvent>(watcher, 'user:offline');
    const quietGot = collect<PresenceEvent>(quiet, 'user:online');
    const d1 = await connect(url, '/', dave!.token);
    const d2 = await connect(url, '/chat', dave!.token);
    await sleep(150);
    expect(events.filter((e) => e.userId === dave!.id)).toHaveLength(1);
    expect(quietGot).toHaveLength(0); // opted out in the handshake
    d1.close();
    await sleep(150);
    expect(offline.filter((e) => e.userId === dave!.id)).toHaveLength(0);
    d2.close();
    await sleep(150);
    expect(offline.filter((e) => e.userId === dave!.id)).toHaveLength(1);
    const online = (await stack.client.call(RealtimeRoutes.onlineUsers)).userIds;
    expect(online).toContain(alice.id);
    expect(online).not.toContain(dave!.id);
  });

  it('heartbeat is answered with heartbeat:ack on every namespace a client can join', async () => {
    const [admin] = await seedUsers(stack, [{ role: 'admin' }]);
    const namespaces = ['/', '/chat', '/notification', '/courses', '/logs', '/admin'];
    const acked: string[] = [];
    for (const nsp of namespaces) {
      const s = track(await connect(url, nsp, admin!.token));
      const pushed = next<{ timestamp: string }>(s, 'heartbeat:ack');
      const viaAck = await ask<{ success: boolean; timestamp: string }>(s, 'heartbeat');
      expect(viaAck.success).toBe(true);
      expect(Date.parse((await pushed).timestamp)).toBeGreaterThan(0);
      acked.push(nsp);
      s.close();
    }
    expect(acked).toEqual(namespaces);
  });

  it('string ids: digit strings work on every chat event', async () => {
    const a = track(await connect(url, '/', alice.token));
    const b = track(await connect(url, '/chat', bob.token));
    const got = next<ChatMessage>(b, 'chat:message');
    const sent = await ask<{ success: boolean; message: ChatMessage }>(a, 'chat:send', {
      receiverId: String(bob.id),
      message: 'as a string',
    });
    expect(sent).toMatchObject({ success: true, message: { receiverId: bob.id, message: 'as a string' } });
    expect((await got).id).toBe(sent.message.id);
    const history = await ask<{ messages: ChatMessage[] }>(b, 'chat:getMessages', {
      userId: String(alice.id),
      limit: 1,
    });
    expect(history.messages.map((m) => m.id)).toEqual([sent.message.id]);
    expect(await ask(b, 'chat:markRead', { senderId: String(alice.id) })).toMatchObject({ success: true });
    expect(await ask(a, 'chat:getOnlineStatus', { userIds: [String(bob.id)] })).toEqual({
      success: true,
      statuses: { [bob.id]: true },
    });
    expect(await ask(a, 'chat:getOnlineStatus', { userIds: [String(bob.id), 'uuid-1'] })).toEqual({
      success: false,
      error: 'userIds must be a numeric user id, got "uuid-1"',
    });
  });
});

describe('each namespace serves its domain, and deliveries go where it is served', () => {
  it('/chat serves chat only, /notification notifications only: the other domain is refused with where to go', async () => {
    const chat = track(await connect(url, '/chat', carol.token));
    const notes = track(await connect(url, '/notification', carol.token));
    expect(await ask(chat, 'notification:getUnreadCount')).toEqual({
      success: false,
      error: 'notification:getUnreadCount is not served on /chat; use / or /notification',
    });
    expect(await ask(notes, 'chat:send', { receiverId: alice.id, message: 'wrong door' })).toEqual({
      success: false,
      error: 'chat:send is not served on /notification; use / or /chat',
    });
    expect((await ask<{ success: boolean }>(chat, 'chat:getOnlineStatus', { userIds: [alice.id] })).success).toBe(true);
    expect((await ask<{ success: boolean }>(notes, 'notification:getUnreadCount')).success).toBe(true);
  });

  it('chat:* reaches / and /chat, notification:new reaches / and /notification, presence all three', async () => {
    // a teacher hears every user:online; a student only classmates' and chat partners'
    const [eve] = await seedUsers(stack, [{ role: 'teacher' }]);
    const sockets = {
      root: track(await connect(url, '/', eve!.token)),
      chat: track(await connect(url, '/chat', eve!.token)),
      notification: track(await connect(url, '/notification', eve!.token)),
    };
    const seen = (event: string) => Object.fromEntries(Object.entries(sockets).map(([k, s]) => [k, collect(s, event)]));
    const messages = seen('chat:message');
    const notes = seen('notification:new');
    const online = seen('user:online');
    const a = track(await connect(url, '/', alice.token));
    await ask(a, 'chat:send', { receiverId: eve!.id, message: 'routing' });
    await stack.client.call(RealtimeRoutes.notify, {
      body: {
        recipientId: eve!.id,
        type: 'general',
        title: 'routing',
        message: 'm',
      },
    });
    const [frank] = await seedUsers(stack, [{ role: 'student' }]);
    track(await connect(url, '/', frank!.token));
    await waitFor(
      () =>
        messages.root!.length === 1 &&
        notes.root!.length === 1 &&
        online.root!.some((e) => (e as PresenceEvent).userId === frank!.id),
    );
    await sleep(150);
    const count = (m: Record<string, unknown[]>) =>
      Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.length]));
    expect(count(messages)).toEqual({ root: 1, chat: 1, notification: 0 });
    expect(count(notes)).toEqual({ root: 1, chat: 0, notification: 1 });
    const frankOnline = (m: Record<string, unknown[]>) =>
      Object.fromEntries(
        Object.entries(m).map(([k, v]) => [k, v.filter((e) => (e as PresenceEvent).userId === frank!.id).length]),
      );
    expect(frankOnline(online)).toEqual({ root: 1, chat: 1, notification: 1 });
  });
});

describe('bad input never hurts the server', () => {
  it('answers malformed payloads through the ack with {success:false, error}', async () => {
    const s = track(await connect(url, '/', alice.token));
    const cases: unknown[] = [
      { receiverId: true, message: 'x' },
      { receiverId: bob.id },
      { receiverId: bob.id, message: '' },
      { receiverId: bob.id, message: 'x', extra: true },
      { receiverId: bob.id, message: 'clear\u001b[2J screen' },
      { receiverId: bob.id, message: 'reversed \u202etxt' },
      'just a string',
      [1, 2, 3],
    ];
    for (const payload of cases) {
      const res = await ask<{ success: boolean; error: string }>(s, 'chat:send', payload);
      expect(res.success).toBe(false);
      expect(res.error).toMatch(/invalid payload/);
    }
    expect(await ask(s, 'chat:send', { receiverId: 'bob', message: 'x' })).toEqual({
      success: false,
      error: 'receiverId must be a numeric user id, got "bob"',
    });
    const self = await ask<{ success: boolean; error: string }>(s, 'chat:send', {
      receiverId: alice.id,
      message: 'me',
    });
    expect(self).toEqual({ success: false, error: 'cannot send a message to yourself' });
    const nobody = await ask<{ success: boolean; error: string }>(s, 'chat:send', {
      receiverId: 987_654_321,
      message: 'hello?',
    });
    expect(nobody).toEqual({ success: false, error: 'no user with id 987654321' });
    expect(s.connected).toBe(true);
  });

  it('ignores unknown events and keeps serving', async () => {
    const s = track(await connect(url, '/', alice.token));
    s.emit('definitely:not-an-event', { a: 1 });
    s.emit('__proto__', {});
    s.emit('constructor');
    await expect(s.timeout(300).emitWithAck('no:such', {})).rejects.toThrow();
    expect((await ask<{ success: boolean }>(s, 'heartbeat')).success).toBe(true);
  });

  it('closes a connection that sends more than maxHttpBufferSize (100 kB)', async () => {
    const s = await connect(url, '/', alice.token);
    const closed = next<string>(s, 'disconnect');
    s.emit('chat:send', { receiverId: bob.id, message: 'x'.repeat(200_000) });
    expect(await closed).toMatch(/transport close|transport error/);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
  });

  it('cuts off a socket that keeps sending after "rate limited"', async () => {
    const [mallory] = await seedUsers(stack, [{ role: 'student' }]);
    const s = await connect(url, '/', mallory!.token);
    const gone = next<string>(s, 'disconnect', 10_000);
    for (let i = 0; i < 1000; i++) s.emit('heartbeat');
    expect(await gone).toBe('io server disconnect');
    expect(s.connected).toBe(false);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
  });

  it('rate-limits a socket: over the burst, acks say "rate limited"', async () => {
    const s = track(await connect(url, '/', bob.token));
    const results = await Promise.all(
      Array.from({ length: 100 }, () => ask<{ success: boolean; error?: string }>(s, 'heartbeat')),
    );
    const limited = results.filter((r) => r.error === 'rate limited').length;
    expect(limited).toBeGreaterThan(0);
    // the burst (60) less the token the handshake took
    expect(results.filter((r) => r.success).length).toBeGreaterThanOrEqual(59);
    // slowed down, not cut off: that is for sockets that keep on
    await sleep(100);
    expect(s.connected).toBe(true);
  });
});
