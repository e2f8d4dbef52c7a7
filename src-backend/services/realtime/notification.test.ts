import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Notification } from '../../contracts/realtime.js';
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
let admin: SeededUser;
let teacher: SeededUser;
let s1: SeededUser;
let s2: SeededUser;
const open: Socket[] = [];
const track = (s: Socket) => (open.push(s), s);
const body = { type: 'general', title: 'Title', message: 'Body', metadata: { k: 'v' } };

beforeAll(async () => {
  stack = await startRealtimeStack();
  url = stack.httpUrl('realtime');
  [admin, teacher, s1, s2] = await seedUsers(stack, [
    { role: 'admin' },
    { role: 'teacher' },
    { role: 'student', group: 'cs-1' },
    { role: 'student', group: 'cs-2' },
  ]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const s of open) s.close();
  await stack?.stop();
}, HOOK_TIMEOUT_MS);

async function api(path: string, payload: unknown, headers: Record<string, string>) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

describe('notifications on / and /notification', () => {
  it('notification:send from staff pushes notification:new to the recipient on / and /notification', async () => {
    const t = track(await connect(url, '/', teacher.token));
    const onRoot = track(await connect(url, '/', s1.token));
    const onNs = track(await connect(url, '/notification', s1.token));
    const a = next<Notification>(onRoot, 'notification:new');
    const b = next<Notification>(onNs, 'notification:new');
    const ack = await ask<{ success: boolean; notification: Notification }>(t, 'notification:send', {
      recipientId: s1.id,
      ...body,
    });
    expect(ack.success).toBe(true);
    expect(ack.notification).toMatchObject({
      recipientId: s1.id,
      senderId: teacher.id,
      title: 'Title',
      metadata: { k: 'v' },
      read: false,
    });
    expect(await a).toEqual(ack.notification);
    expect(await b).toEqual(ack.notification);
  });

  it('older clients unchanged: string recipientId and collegeId over the socket', async () => {
    const t = track(await connect(url, '/', teacher.token));
    const x = track(await connect(url, '/', s1.token));
    const got = collect<Notification>(x, 'notification:new');
    const sent = await ask<{ success: boolean; notification: Notification }>(t, 'notification:send', {
      recipientId: String(s1.id),
      ...body,
      title: 'str',
    });
    expect(sent.success).toBe(true);
    expect(sent.notification.recipientId).toBe(s1.id);
    const a = track(await connect(url, '/', admin.token));
    const cast = await ask<{ success: boolean; notification: Notification }>(a, 'notification:broadcast', {
      collegeId: 'cs-1',
      ...body,
      title: 'college',
    });
    expect(cast).toMatchObject({ success: true, notification: { audience: { groupId: 'cs-1' } } });
    await waitFor(() => got.length >= 2);
    expect(got.map((n) => n.title)).toEqual(['str', 'college']);
    expect(await ask(t, 'notification:send', { recipientId: 'user-uuid', ...body })).toEqual({
      success: false,
      error: 'recipientId must be a numeric user id, got "user-uuid"',
    });
    // a teacher may not address a group, even by its older name (abuse.test.ts: own courses only)
    expect((await ask<{ success: boolean }>(t, 'notification:broadcast', { ...body, collegeId: 'cs-1' })).success).toBe(
      false,
    );
  });

  it('students may not send or broadcast; teachers may not broadcast to a group', async () => {
    const s = track(await connect(url, '/', s1.token));
    expect(await ask(s, 'notification:send', { recipientId: s2.id, ...body })).toEqual({
      success: false,
      error: 'students cannot send notifications',
    });
    expect((await ask<{ success: boolean }>(s, 'notification:broadcast', body)).success).toBe(false);
    const t = track(await connect(url, '/notification', teacher.token));
    expect((await ask<{ success: boolean }>(t, 'notification:broadcast', body)).success).toBe(false);
    expect((await ask<{ success: boolean }>(t, 'notification:broadcast', { groupId: 'cs-2', ...body })).success).toBe(
      false,
    );
  });

  it('broadcast reaches everyone, one role, or one student group', async () => {
    const a = track(await connect(url, '/', admin.token));
    const t = track(await connect(url, '/', teacher.token));
    const x = track(await connect(url, '/', s1.token));
    const y = track(await connect(url, '/notification', s2.token));
    const got = {
      t: collect<Notification>(t, 'notification:new'),
      x: collect<Notification>(x, 'notification:new'),
      y: collect<Notification>(y, 'notification:new'),
    };
    await ask(a, 'notification:broadcast', { ...body, title: 'all' });
    await ask(a, 'notification:broadcast', { ...body, title: 'students', role: 'student' });
    await ask(a, 'notification:broadcast', { ...body, title: 'cs-1', groupId: 'cs-1' });
    await waitFor(() => got.x.length >= 3);
    await sleep(100);
    expect(got.t.map((n) => n.title)).toEqual(['all']);
    expect(got.x.map((n) => n.title)).toEqual(['all', 'students', 'cs-1']);
    expect(got.y.map((n) => n.title)).toEqual(['all', 'students']);
  });

  it('getUnread, getUnreadCount and markRead work per user, including broadcasts', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student', group: 'fresh' }]);
    const s = track(await connect(url, '/', u!.token));
    // earlier broadcasts to everyone and to all students are on this user's board too: clear them first
    await ask(s, 'notification:markRead', {});
    expect(await ask(s, 'notification:getUnreadCount')).toEqual({ success: true, count: 0 });
    await stack.client.call(RealtimeRoutes.notify, { body: { recipientId: u!.id, ...body, title: 'direct' } });
    await stack.client.call(RealtimeRoutes.broadcast, { body: { groupId: 'fresh', ...body, title: 'group' } });
    await stack.client.call(RealtimeRoutes.broadcast, { body: { groupId: 'other', ...body, title: 'not mine' } });
    expect(await ask(s, 'notification:getUnreadCount', {})).toEqual({ success: true, count: 2 });
    const list = await ask<{ notifications: Notification[] }>(s, 'notification:getUnread', { limit: 10 });
    expect(list.notifications.map((n) => n.title)).toEqual(['group', 'direct']);
    const one = await ask(s, 'notification:markRead', { notificationIds: [list.notifications[1]!.id] });
    expect(one).toEqual({ success: true, updated: 1 });
    expect(await ask(s, 'notification:getUnreadCount')).toEqual({ success: true, count: 1 });
    expect(await ask(s, 'notification:markRead', {})).toEqual({ success: true, updated: 1 });
    expect(await ask(s, 'notification:getUnreadCount')).toEqual({ success: true, count: 0 });
    expect((await ask<{ success: boolean }>(s, 'notification:markRead', { notificationIds: [] })).success).toBe(false);
  });

  it('unread counts survive a restart of the realtime server', async () => {
    const [u] = await seedUsers(stack, [{ role: 'teacher' }]);
    const first = track(await connect(url, '/', u!.token));
    await ask(first, 'notification:markRead', {});
    first.close();
    await stack.client.call(RealtimeRoutes.notify, { body: { recipientId: u!.id, ...body } });
    await stack.client.call(RealtimeRoutes.notify, { body: { recipientId: u!.id, ...body } });
    const before = stack.pid('realtime');
    await stack.supervisor.restart('realtime');
    expect(stack.pid('realtime')).not.toBe(before);
    const s = track(await connect(url, '/', u!.token));
    expect(await ask(s, 'notification:getUnreadCount')).toEqual({ success: true, count: 2 });
  });
});

describe('HTTP API: /api/notify and /api/broadcast', () => {
  it('POST /api/notify needs the internal token or an admin session', async () => {
    const payload = { recipientId: s1.id, ...body };
    expect((await api('/api/notify', payload, {})).status).toBe(401);
    expect((await api('/api/notify', payload, { authorization: 'Bearer nope' })).status).toBe(401);
    const asStudent = await api('/api/notify', payload, { authorization: `Bearer ${s1.token}` });
    expect(asStudent.status).toBe(403);
    expect(asStudent.body.error?.code).toBe('FORBIDDEN');
    const asAdmin = await api('/api/notify', payload, { authorization: `Bearer ${admin.token}` });
    expect(asAdmin.status).toBe(201);
    expect(asAdmin.body).toMatchObject({ success: true, notification: { senderId: admin.id, recipientId: s1.id } });
    const internal = await api('/api/notify', payload, { 'x-internal-token': stack.env.INTERNAL_TOKEN! });
    expect(internal.status).toBe(201);
    expect(internal.body).toMatchObject({ notification: { senderId: null } });
  });

  it('refuses bad bodies with a coded 400', async () => {
    const h = { authorization: `Bearer ${admin.token}` };
    for (const bad of [
      { ...body },
      { recipientId: 'x', ...body },
      { recipientId: 1, ...body, title: '' },
      { recipientId: 1, ...body, evil: 1 },
      // control and bidi characters in the text
      { recipientId: 1, ...body, title: 'Exam\u001b[2J' },
      { recipientId: 1, ...body, message: 'moved to \u202eroom 5' },
      { recipientId: 1, ...body, type: 'info\u0000' },
    ]) {
      const res = await api('/api/notify', bad, h);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe('VALIDATION_FAILED');
    }
    const nobody = await api('/api/notify', { recipientId: 987_654_321, ...body }, h);
    expect(nobody.status).toBe(404);
    expect(nobody.body.error?.code).toBe('USER_NOT_FOUND');
    expect((await api('/api/broadcast', { ...body, role: 'janitor' }, h)).status).toBe(400);
    expect((await api('/api/broadcast', { ...body, groupId: 'a', collegeId: 'b' }, h)).status).toBe(400);
    expect((await api('/api/broadcast', { ...body, groupId: 'cs\u2066' }, h)).status).toBe(400);
    const notJson = await fetch(`${url}/api/broadcast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...h },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('collegeId names the student group: POST /api/broadcast reaches that group only', async () => {
    const inGroup = track(await connect(url, '/', s1.token));
    const outside = track(await connect(url, '/notification', s2.token));
    const got = {
      in: collect<Notification>(inGroup, 'notification:new'),
      out: collect<Notification>(outside, 'notification:new'),
    };
    const res = await api(
      '/api/broadcast',
      { collegeId: 'cs-1', ...body, title: 'college' },
      { 'x-internal-token': stack.env.INTERNAL_TOKEN! },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      success: true,
      notification: { audience: { groupId: 'cs-1', role: null }, title: 'college' },
    });
    await waitFor(() => got.in.length >= 1);
    await sleep(100);
    expect(got.in.map((n) => n.title)).toEqual(['college']);
    expect(got.out).toHaveLength(0);
  });

  it('string ids: digits are user ids, anything else is a clear 400', async () => {
    const h = { 'x-internal-token': stack.env.INTERNAL_TOKEN! };
    const ok = await api('/api/notify', { recipientId: String(s2.id), ...body }, h);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ notification: { recipientId: s2.id } });
    const uuid = await api('/api/notify', { recipientId: 'user-uuid', ...body }, h);
    expect(uuid.status).toBe(400);
    expect(uuid.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'recipientId must be a numeric user id, got "user-uuid"',
    });
    for (const bad of ['', '12a', '-3', '1.5', ' 7'])
      expect((await api('/api/notify', { recipientId: bad, ...body }, h)).status).toBe(400);
  });

  it('GET /api/online-users lists who is connected, for staff only', async () => {
    const s = track(await connect(url, '/', s2.token));
    const res = await fetch(`${url}/api/online-users`, { headers: { authorization: `Bearer ${admin.token}` } });
    const j = (await res.json()) as { count: number; userIds: number[] };
    expect(j.userIds).toContain(s2.id);
    expect(j.count).toBe(j.userIds.length);
    expect((await fetch(`${url}/api/online-users`)).status).toBe(401);
    s.close();
  });
});
