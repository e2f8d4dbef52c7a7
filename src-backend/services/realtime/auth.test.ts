import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import { collect, connect, next, seedUsers, sleep, startRealtimeStack, type SeededUser } from './testing/rt-harness.js';
import { RealtimeRoutes } from '../../contracts/routes/realtime.js';
import { DataIdentityRoutes } from '../../contracts/routes/data-identity.js';

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const HOOK_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: 30_000 });

let stack: TestStack;
let url: string;
let admin: SeededUser;
let student: SeededUser;
let other: SeededUser;
const open: Socket[] = [];
const track = (s: Socket) => (open.push(s), s);

beforeAll(async () => {
  // the older names for the origin allow-list (SOCKETIO_CORS_ORIGINS, ALLOWED_ORIGINS), merged
  stack = await startRealtimeStack({
    env: {
      SOCKETIO_CORS_ORIGINS: 'http://seed3.example',
      ALLOWED_ORIGINS: 'http://seed4.example,http://seed4b.example/',
    },
  });
  url = stack.httpUrl('realtime');
  [admin, student, other] = await seedUsers(stack, [
    { role: 'admin' },
    { role: 'student', group: 'cs-1' },
    { role: 'student', group: 'cs-1' },
  ]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  for (const s of open) s.close();
  await stack?.stop();
}, HOOK_TIMEOUT_MS);

describe('handshake', () => {
  it.each(['/', '/chat', '/notification', '/courses', '/logs', '/admin'])(
    'refuses %s without a token: connect_error "unauthorized"',
    async (nsp) => {
      await expect(connect(url, nsp, undefined)).rejects.toThrow(/^unauthorized$/);
    },
  );

  it('refuses a token that is not a session', async () => {
    await expect(connect(url, '/', 'not-a-real-token')).rejects.toThrow(/^unauthorized$/);
    await expect(connect(url, '/', 'x'.repeat(300))).rejects.toThrow(/^unauthorized$/);
  });

  it('keeps /logs and /admin for admins', async () => {
    await expect(connect(url, '/logs', student.token)).rejects.toThrow(/^forbidden$/);
    await expect(connect(url, '/admin', student.token)).rejects.toThrow(/^forbidden$/);
    track(await connect(url, '/logs', admin.token));
    track(await connect(url, '/admin', admin.token));
  });

  it('checks the Origin header against the allow-list (SOCKETIO_CORS_ORIGINS and ALLOWED_ORIGINS)', async () => {
    for (const origin of ['http://seed3.example', 'http://seed4.example', 'http://seed4b.example']) {
      track(await connect(url, '/', student.token, { extraHeaders: { origin } }));
    }
    await expect(
      connect(url, '/', student.token, { extraHeaders: { origin: 'http://evil.example' } }),
    ).rejects.toThrow();
    await expect(
      connect(url, '/', student.token, { transports: ['polling'], extraHeaders: { origin: 'http://evil.example' } }),
    ).rejects.toThrow();
  });

  it('refuses a foreign Origin already at the Engine.IO handshake, before any session exists', async () => {
    const handshake = (origin: string) => fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const evil = await handshake('http://evil.example');
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ message: 'origin not allowed' });
    const ok = await handshake('http://seed3.example');
    expect(ok.status).toBe(200);
    expect((await ok.text())[0]).toBe('0'); // an Engine.IO "open" packet
  });

  it('accepts a student on the default namespace and counts the connection in /health', async () => {
    const before = (await (await fetch(`${url}/health`)).json()) as { connections: { total_connections: number } };
    const s = track(await connect(url, '/', other.token));
    const after = (await (await fetch(`${url}/health`)).json()) as { connections: { total_connections: number } };
    expect(after.connections.total_connections).toBe(before.connections.total_connections + 1);
    s.close();
  });
});

describe('logout and disable', () => {
  it('POST /internal/users/disconnect ends every socket of that user, on every namespace', async () => {
    const [u] = await seedUsers(stack, [{ role: 'admin' }]);
    const a = track(await connect(url, '/', u!.token));
    const b = track(await connect(url, '/admin', u!.token));
    const bystander = track(await connect(url, '/', other.token));
    const gone = Promise.all([next(a, 'disconnect'), next(b, 'disconnect')]);
    const res = await stack.client.call(RealtimeRoutes.disconnectUser, {
      body: {
        userId: u!.id,
        reason: 'logout',
      },
    });
    expect(res.disconnected).toBe(2);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    expect(bystander.connected).toBe(true);
  });

  it("end to end: logging out through auth_node ends that user's sockets", async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const s = track(await connect(url, '/', u!.token));
    const gone = next<string>(s, 'disconnect', 5000);
    const res = await stack.client.request('POST', 'auth_node', '/logout', {}, { token: u!.token, internal: false });
    expect(res.statusCode).toBeLessThan(300);
    expect(await gone).toBe('io server disconnect');
    await expect(connect(url, '/', u!.token)).rejects.toThrow(/^unauthorized$/);
  });

  it('a revoked session cannot come back, even right away (the handshake cache is dropped)', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const s = track(await connect(url, '/', u!.token));
    await stack.client.call(DataIdentityRoutes.revokeSessions, { body: { userId: u!.id } });
    await stack.client.call(RealtimeRoutes.disconnectUser, { body: { userId: u!.id, reason: 'logout' } });
    await sleep(50);
    expect(s.connected).toBe(false);
    await expect(connect(url, '/', u!.token)).rejects.toThrow(/^unauthorized$/);
  });

  it('a session that was cached but no longer connected cannot come back after the revocation', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const s = await connect(url, '/', u!.token); // resolves the session: now in the handshake cache
    s.disconnect(); // the user closed the tab: no socket left to find by room
    await sleep(50);
    await stack.client.call(DataIdentityRoutes.revokeSessions, { body: { userId: u!.id } });
    const res = await stack.client.call(RealtimeRoutes.disconnectUser, {
      body: {
        userId: u!.id,
        reason: 'logout',
      },
    });
    expect(res.disconnected).toBe(0);
    await expect(connect(url, '/', u!.token)).rejects.toThrow(/^unauthorized$/);
  });

  it('the disconnect route takes the internal token or an admin session, nothing else', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const call = (headers: Record<string, string>) =>
      fetch(`${url}${RealtimeRoutes.disconnectUser.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ userId: u!.id, reason: 'disabled' }),
      });
    const anonymous = await call({});
    expect(anonymous.status).toBe(401);
    const asStudent = await call({ authorization: `Bearer ${student.token}` });
    expect(asStudent.status).toBe(403);
    expect(((await asStudent.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const s = track(await connect(url, '/', u!.token));
    const gone = next(s, 'disconnect');
    const asAdmin = await call({ authorization: `Bearer ${admin.token}` });
    expect(asAdmin.status).toBe(200);
    expect(await asAdmin.json()).toEqual({ disconnected: 1 });
    await gone;
  });
});

describe('reconnect', () => {
  it('a short drop is recovered: same session (socket.recovered), rooms kept, missed events replayed', async () => {
    const s = track(
      await connect(url, '/', student.token, {
        reconnection: true,
        reconnectionDelay: 500,
        reconnectionDelayMax: 500,
        randomizationFactor: 0,
      }),
    );
    const notify = (title: string) =>
      stack.client.call(RealtimeRoutes.notify, {
        body: { recipientId: student.id, type: 'general', title, message: 'm' },
      });
    // recovery resumes from the offset of the last broadcast packet the client got, so it needs one
    const first = next<{ title: string }>(s, 'notification:new');
    await notify('before the drop');
    expect((await first).title).toBe('before the drop');
    const got = collect<{ title: string }>(s, 'notification:new');
    // the socket's own connect, not the Manager's reconnect: that comes before the namespace handshake
    const reconnected = next(s, 'connect', 8000);
    // drop the transport from the client side, as a network blip would
    s.io.engine.close();
    expect(s.connected).toBe(false);
    await notify('while away');
    await reconnected;
    expect(s.recovered).toBe(true);
    await waitFor(() => got.length >= 1, 3000);
    await notify('after reconnect');
    await waitFor(() => got.length >= 2, 3000);
    expect(got.map((n) => n.title)).toEqual(['while away', 'after reconnect']);
  });

  it('a reconnect with a revoked session is refused', async () => {
    const [u] = await seedUsers(stack, [{ role: 'student' }]);
    const s = track(
      await connect(url, '/', u!.token, {
        reconnection: true,
        reconnectionDelay: 3500,
        reconnectionDelayMax: 3500,
        randomizationFactor: 0,
      }),
    );
    await stack.client.call(DataIdentityRoutes.revokeSessions, { body: { userId: u!.id } });
    const refused = next<Error>(s, 'connect_error', 8000);
    s.io.engine.close();
    // the resolver's 3 s cache has expired by the time the client retries
    expect((await refused).message).toBe('unauthorized');
    s.close();
  });
});

describe('graceful shutdown', () => {
  it('emits what the throttler holds, then disconnects clients, and comes back quickly', async () => {
    const put = (windowMs: number) =>
      stack.client.call(RealtimeRoutes.setConfig, {
        body: { events: { 'course:seats': { windowMs, mode: 'latest' } } },
      });
    await put(30_000);
    const w = await connect(url, '/courses', student.token);
    await w.timeout(5000).emitWithAck('course:watch', { courseIds: [9] });
    const seats = next<{ enrolled: number }>(w, 'course:seats', 10_000);
    const gone = next<string>(w, 'disconnect', 10_000);
    await stack.client.call(RealtimeRoutes.emit, {
      body: {
        events: [
          { event: 'course:seats', room: 'course:9', data: { courseId: 9, enrolled: 8, capacity: 9, seatsLeft: 1 } },
        ],
      },
    });
    const before = stack.pid('realtime');
    const t0 = Date.now();
    await stack.supervisor.restart('realtime');
    expect(Date.now() - t0).toBeLessThan(8000);
    expect((await seats).enrolled).toBe(8); // delivered on the way down, not lost with the process
    expect(await gone).toMatch(/io server disconnect|transport close/);
    expect(stack.pid('realtime')).not.toBe(before);
    track(await connect(url, '/', student.token));
  });
});
