import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ChatMessage, ChatReadReceipt, PresenceEvent } from '../../contracts/realtime.js';
import type { TestStack } from '../../testing/stack.js';
import { ask, collect, connect, next, seedUsers, sleep, startRealtimeStack, type SeededUser } from './testing/rt-harness.js';

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
  [alice, bob, carol] = await seedUsers(stack, [{ role: 'student', group: 'g1' }, { role: 'student', group: 'g1' }, { role: 'teacher' }]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const s of open) s.close();
  await stack?.stop();
}, HOOK_TIMEOUT_MS);

describe('seed 004 chat on the default namespace and on /chat', () => {
  it('chat:send is acked with {success, message} and reaches the receiver on every chat namespace', async () => {
    const a = track(await connect(url, '/', alice.token));
    const bDefault = track(await connect(url, '/', bob.token));
    const bChat = track(await connect(url, '/chat', bob.token));
    const onDefault = next<ChatMessage>(bDefault, 'chat:message');
    const onChat = next<ChatMessage>(bChat, 'chat:message');
    const ack = await ask<{ success: boolean; message: ChatMessage }>(a, 'chat:send', { receiverId: bob.id, message: 'Hello!' });
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
    const history = await ask<{ success: boolean; messages: ChatMessage[] }>(c, 'chat:getMessages', { userId: alice.id });
    expect(history.messages.map((m) => m.message)).toEqual(['two', 'one']);
    const older = await ask<{ messages: ChatMessage[] }>(c, 'chat:getMessages', { userId: alice.id, beforeId: m2.message.id, limit: 5 });
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
    const a = track(await connect(url, '/', alice.token));
    const res = await ask<{ success: boolean; statuses: Record<string, boolean> }>(a, 'chat:getOnlineStatus', { userIds: [alice.id, away!.id] });
    expect(res).toEqual({ success: true, statuses: { [alice.id]: true, [away!.id]: false } });
  });

  it('user:online when a user connects, user:offline when their last socket closes', async () => {
    const [dave] = await seedUsers(stack, [{ role: 'student' }]);
    const watcher = track(await connect(url, '/', alice.token));
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
    const online = (await stack.client.get<{ userIds: number[] }>('realtime', '/api/online-users')).userIds;
    expect(online).toContain(alice.id);
    expect(online).not.toContain(dave!.id);
  });

  it('heartbeat is answered with heartbeat:ack on every namespace', async () => {
    const s = track(await connect(url, '/', alice.token));
    const ack = next<{ timestamp: string }>(s, 'heartbeat:ack');
    s.emit('heartbeat');
    expect(Date.parse((await ack).timestamp)).toBeGreaterThan(0);
    const c = track(await connect(url, '/courses', alice.token));
    const viaAck = await ask<{ success: boolean; timestamp: string }>(c, 'heartbeat');
    expect(viaAck.success).toBe(true);
  });
});

describe('bad input never hurts the server', () => {
  it('answers malformed payloads through the ack with {success:false, error}', async () => {
    const s = track(await connect(url, '/', alice.token));
    const cases: unknown[] = [
      { receiverId: 'bob', message: 'x' },
      { receiverId: bob.id },
      { receiverId: bob.id, message: '' },
      { receiverId: bob.id, message: 'x', extra: true },
      'just a string',
      [1, 2, 3],
    ];
    for (const payload of cases) {
      const res = await ask<{ success: boolean; error: string }>(s, 'chat:send', payload);
      expect(res.success).toBe(false);
      expect(res.error).toMatch(/invalid payload/);
    }
    const self = await ask<{ success: boolean; error: string }>(s, 'chat:send', { receiverId: alice.id, message: 'me' });
    expect(self).toEqual({ success: false, error: 'cannot send a message to yourself' });
    const nobody = await ask<{ success: boolean; error: string }>(s, 'chat:send', { receiverId: 987_654_321, message: 'hello?' });
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

  it('rate-limits a socket: over the burst, acks say "rate limited"', async () => {
    const s = track(await connect(url, '/', bob.token));
    const results = await Promise.all(Array.from({ length: 100 }, () => ask<{ success: boolean; error?: string }>(s, 'heartbeat')));
    const limited = results.filter((r) => r.error === 'rate limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(results.filter((r) => r.success).length).toBeGreaterThanOrEqual(60);
  });
});
