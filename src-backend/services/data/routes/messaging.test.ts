import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDataApp } from '../app.js';
import { DataMessagingRoutes } from '../../../contracts/routes/data-messaging.js';

const TOKEN = 'a'.repeat(64);
let dir: string;
let built: Awaited<ReturnType<typeof buildDataApp>>;

async function post(url: string, payload: unknown) {
  const res = await built.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { 'x-internal-token': TOKEN },
  });
  return { status: res.statusCode, body: res.json() };
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-msg-'));
  built = await buildDataApp({ config: { dataDir: dir, internalToken: TOKEN } });
});
afterEach(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('chat persistence', () => {
  it('stores, pages a conversation both ways and marks read', async () => {
    const a = await post(DataMessagingRoutes.sendChat.url, { senderId: 1, receiverId: 2, message: 'hi' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ senderId: 1, receiverId: 2, message: 'hi', readAt: null });
    await post(DataMessagingRoutes.sendChat.url, { senderId: 2, receiverId: 1, message: 'hello' });
    const c = await post(DataMessagingRoutes.sendChat.url, { senderId: 1, receiverId: 2, message: 'how are you' });
    await post(DataMessagingRoutes.sendChat.url, { senderId: 1, receiverId: 3, message: 'elsewhere' });

    const hist = await post(DataMessagingRoutes.chatHistory.url, { userId: 2, otherId: 1 });
    expect(hist.body.messages.map((m: { message: string }) => m.message)).toEqual(['how are you', 'hello', 'hi']);
    const page = await post(DataMessagingRoutes.chatHistory.url, {
      userId: 2,
      otherId: 1,
      beforeId: c.body.id,
      limit: 1,
    });
    expect(page.body.messages.map((m: { message: string }) => m.message)).toEqual(['hello']);

    const read = await post(DataMessagingRoutes.readChat.url, { readerId: 2, senderId: 1 });
    expect(read.body.messageIds).toEqual([a.body.id, c.body.id]);
    const again = await post(DataMessagingRoutes.readChat.url, { readerId: 2, senderId: 1 });
    expect(again.body.messageIds).toEqual([]);
  });

  it('refuses bad input with coded 4xx', async () => {
    expect(
      (await post(DataMessagingRoutes.sendChat.url, { senderId: 1, receiverId: 1, message: 'me' })).body.error.code,
    ).toBe('SELF_MESSAGE');
    const extra = await post(DataMessagingRoutes.sendChat.url, { senderId: 1, receiverId: 2, message: 'x', evil: 1 });
    expect(extra.status).toBe(400);
    expect((await post(DataMessagingRoutes.sendChat.url, { senderId: 1, receiverId: 2, message: '' })).status).toBe(
      400,
    );
    const noToken = await built.app.inject({
      method: 'POST',
      url: DataMessagingRoutes.chatHistory.url,
      payload: { userId: 1, otherId: 2 },
    });
    expect(noToken.statusCode).toBe(401);
  });
});

describe('notification persistence', () => {
  const student = { userId: 10, role: 'student', group: 'cs-1' };
  const other = { userId: 11, role: 'student', group: 'cs-2' };
  const teacher = { userId: 20, role: 'teacher', group: null };
  const body = { type: 'general', title: 't', message: 'm' };

  it('counts direct, role, group and global notifications per reader, and marks them read', async () => {
    const created = await post(DataMessagingRoutes.createNotifications.url, {
      notifications: [
        { senderId: null, recipientId: 10, ...body, metadata: { k: 1 } },
        { senderId: 1, ...body }, // everyone
        { senderId: 1, role: 'student', ...body },
        { senderId: 1, groupId: 'cs-1', ...body },
        { senderId: 1, recipientId: 11, ...body },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.notifications[0]).toMatchObject({
      recipientId: 10,
      metadata: { k: 1 },
      read: false,
      audience: null,
    });
    expect(created.body.notifications[3].audience).toEqual({ role: null, groupId: 'cs-1' });

    const count = async (r: object) => (await post(DataMessagingRoutes.unreadCount.url, r)).body.count as number;
    expect(await count(student)).toBe(4);
    expect(await count(other)).toBe(3);
    expect(await count(teacher)).toBe(1);

    const list = await post(DataMessagingRoutes.unread.url, { ...student, limit: 2 });
    expect(list.body.notifications).toHaveLength(2);
    const firstId = created.body.notifications[0].id as number;
    // marking someone else's notification changes nothing
    expect(
      (await post(DataMessagingRoutes.readNotifications.url, { ...other, notificationIds: [firstId] })).body.updated,
    ).toBe(0);
    expect(
      (await post(DataMessagingRoutes.readNotifications.url, { ...student, notificationIds: [firstId] })).body.updated,
    ).toBe(1);
    expect(await count(student)).toBe(3);
    expect((await post(DataMessagingRoutes.readNotifications.url, student)).body.updated).toBe(3);
    expect(await count(student)).toBe(0);
    expect(await count(other)).toBe(3);
  });

  it('survives reopening the database', async () => {
    await post(DataMessagingRoutes.createNotifications.url, {
      notifications: [{ senderId: null, recipientId: 10, ...body }],
    });
    await built.app.close();
    built = await buildDataApp({ config: { dataDir: dir, internalToken: TOKEN } });
    expect((await post(DataMessagingRoutes.unreadCount.url, student)).body.count).toBe(1);
  });

  it('refuses a direct notification that also names an audience', async () => {
    const res = await post(DataMessagingRoutes.createNotifications.url, {
      notifications: [{ senderId: null, recipientId: 10, role: 'student', ...body }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});
