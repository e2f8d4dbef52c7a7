import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminEvent } from '../contracts/realtime.js';
import type { BulkCreateResponse, CreatedUser, LoginResponse } from '../contracts/auth.js';
import { gatewayPathOf, type Route } from '../contracts/route.js';
import { AuthRoutes } from '../contracts/routes/auth.js';
import { StudentRoutes } from '../contracts/routes/student.js';
import { SupervisorRoutes } from '../contracts/routes/supervisor.js';
import { TeacherRoutes } from '../contracts/routes/teacher.js';
import type { BulkActionResponse, SessionList } from '../contracts/user-lifecycle.js';
import { totpCode } from '../services/auth/test-support.js';
import { serverModeEnv, type ServerModeEnv } from '../testing/server-env.js';
import { builtEntryDir } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';

/**
 * Issue 17: "a revoked session's token gets 401 within 1 s on student_node, teacher_node, the
 * gateway and realtime". The whole server mode runs as real processes; every call goes through
 * the gateway's /api and Socket.IO the way the console and the portal reach them.
 */
const serverJs = path.join(builtEntryDir(), 'server.js');
const PASSWORD = 'revocation-test-pass';

let setup: ServerModeEnv;
let server: ChildProcess;
let base: string;
let admin: string;
const sockets: Socket[] = [];

async function api(
  route: Route,
  opts: { token?: string; params?: object; query?: object; body?: unknown; userAgent?: string } = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(base + gatewayPathOf(route, opts.params, opts.query), {
    method: route.method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.userAgent ? { 'user-agent': opts.userAgent } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function connect(nsp: string, token: string): Promise<Socket> {
  const socket = io(`${base}${nsp === '/' ? '' : nsp}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

let seq = 0;
async function member(role: 'student' | 'teacher'): Promise<{ id: number; username: string; secret: string }> {
  const username = `rv-${role}-${++seq}`;
  const body = { role, username, name: username, password: PASSWORD, ...(role === 'student' ? { group: 'cs-1' } : {}) };
  const res = await api(AuthRoutes.createUser, { token: admin, body });
  expect(res.status).toBe(201);
  const created = res.body as CreatedUser;
  return { id: created.user.id, username, secret: created.totpSecret };
}
async function memberLogin(m: { username: string; secret: string }, step: number, userAgent: string): Promise<string> {
  const res = await api(AuthRoutes.login, {
    body: { username: m.username, password: PASSWORD, totp: totpCode(m.secret, step) },
    userAgent,
  });
  expect(res.status).toBe(200);
  return (res.body as LoginResponse).token;
}
async function sessionIdOf(userId: number, userAgent: string): Promise<string> {
  const list = (await api(AuthRoutes.userSessions, { token: admin, params: { id: userId } })).body as SessionList;
  return list.sessions.find((s) => s.userAgent === userAgent)!.id;
}
/** ms from `since` until `probe` answers 401, or fails the test after 3 s. */
async function msUntil401(since: number, probe: () => Promise<number>): Promise<number> {
  for (;;) {
    if ((await probe()) === 401) return Date.now() - since;
    if (Date.now() - since > 3000) throw new Error('still accepted 3 s after the revocation');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const disconnected = (s: Socket) => new Promise<number>((resolve) => s.once('disconnect', () => resolve(Date.now())));

beforeAll(async () => {
  setup = await serverModeEnv();
  base = `http://127.0.0.1:${setup.gatewayPort}`;
  server = spawn(process.execPath, [serverJs], { env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stdout!.on('data', (d) => (out += d.toString()));
  await waitFor(() => out.includes('Press Ctrl-C') || server.exitCode !== null, 45_000, 100);
  if (server.exitCode !== null) throw new Error('server mode did not start');
  const login = await api(AuthRoutes.loginAdmin, {
    body: { username: 'admin', password: setup.env.ADMIN_PASSWORD },
  });
  admin = (login.body as LoginResponse).token;
}, 60_000);
afterAll(() => {
  for (const s of sockets) s.close();
  if (server && server.exitCode === null) server.kill('SIGKILL');
  setup?.cleanup();
});

describe('ending one session', () => {
  it('a revoked session gets 401 within 1 s on student_node, teacher_node, the gateway and realtime; the user’s other session stays', async () => {
    const student = await member('student');
    const teacher = await member('teacher');
    const s1 = await memberLogin(student, 0, 'phone');
    const s2 = await memberLogin(student, 1, 'laptop');
    const t1 = await memberLogin(teacher, 0, 'staff-pc');
    const adminB = 'rv-admin-b';
    expect(
      (await api(AuthRoutes.addAdmin, { token: admin, body: { username: adminB, name: 'B', password: PASSWORD } }))
        .status,
    ).toBe(201);
    const bLogin = await api(AuthRoutes.loginAdmin, {
      body: { username: adminB, password: PASSWORD },
      userAgent: 'admin-b',
    });
    const a1 = (bLogin.body as LoginResponse).token;
    const bId = (bLogin.body as LoginResponse).user.id;

    // Every surface has seen (and cached) the sessions.
    const onStudent = (t: string) => async () => (await api(StudentRoutes.schedule, { token: t })).status;
    const onTeacher = (t: string) => async () => (await api(TeacherRoutes.courses, { token: t })).status;
    const onGateway = (t: string) => async () => (await api(SupervisorRoutes.status, { token: t })).status;
    expect(await onStudent(s1)()).toBe(200);
    expect(await onStudent(s2)()).toBe(200);
    expect(await onTeacher(t1)()).toBe(200);
    expect(await onGateway(a1)()).toBe(200);
    const sock1 = await connect('/', s1);
    const sock2 = await connect('/', s2);
    const sockT = await connect('/', t1);
    const sockA = await connect('/admin', a1);
    const gone = [disconnected(sock1), disconnected(sockT), disconnected(sockA)];

    const ids = {
      s1: await sessionIdOf(student.id, 'phone'),
      t1: await sessionIdOf(teacher.id, 'staff-pc'),
      a1: await sessionIdOf(bId, 'admin-b'),
    };
    const t0 = Date.now();
    for (const [userId, sessionId] of [
      [student.id, ids.s1],
      [teacher.id, ids.t1],
      [bId, ids.a1],
    ] as const) {
      const res = await api(AuthRoutes.revokeUserSession, { token: admin, params: { id: userId, sessionId } });
      expect(res.status).toBe(200);
    }
    const waits = {
      student: await msUntil401(t0, onStudent(s1)),
      teacher: await msUntil401(t0, onTeacher(t1)),
      gateway: await msUntil401(t0, onGateway(a1)),
      auth: await msUntil401(t0, async () => (await api(AuthRoutes.me, { token: s1 })).status),
    };
    for (const ms of Object.values(waits)) expect(ms).toBeLessThan(1000);
    const closedAt = await Promise.all(gone);
    for (const at of closedAt) expect(at - t0).toBeLessThan(1000);
    await expect(connect('/', s1)).rejects.toThrow(/unauthorized/);

    // the other session of the same student is untouched
    expect(await onStudent(s2)()).toBe(200);
    expect(sock2.connected).toBe(true);
  }, 60_000);

  it('a user ending their own other session (/me/sessions) does the same', async () => {
    const student = await member('student');
    const keep = await memberLogin(student, 0, 'keep');
    const drop = await memberLogin(student, 1, 'drop');
    expect((await api(StudentRoutes.schedule, { token: drop })).status).toBe(200);
    const sock = await connect('/', drop);
    const closed = disconnected(sock);
    const mine = (await api(AuthRoutes.mySessions, { token: keep })).body as SessionList;
    const other = mine.sessions.find((s) => !s.current)!;
    const t0 = Date.now();
    expect((await api(AuthRoutes.revokeMySession, { token: keep, params: { sessionId: other.id } })).status).toBe(200);
    expect(await msUntil401(t0, async () => (await api(StudentRoutes.schedule, { token: drop })).status)).toBeLessThan(
      1000,
    );
    expect((await closed) - t0).toBeLessThan(1000);
    expect((await api(StudentRoutes.schedule, { token: keep })).status).toBe(200);
  }, 60_000);
});

describe('bulk actions at scale', () => {
  it('sets the group of 10,000 students in one call, with progress events on /admin', async () => {
    const users = Array.from({ length: 10_000 }, (_, i) => ({
      role: 'student',
      username: `bulk-${i}`,
      name: `Bulk ${i}`,
      email: `bulk-${i}@example.edu`,
      group: 'big-1',
    }));
    const imported = await api(AuthRoutes.importUsers, { token: admin, body: { users } });
    expect((imported.body as BulkCreateResponse).created).toBe(10_000);
    const watcher = await connect('/admin', admin);
    const progress: { done: number; total: number; finished: boolean }[] = [];
    watcher.on('admin_event', (e: AdminEvent) => {
      if (e.type === 'bulk_progress') progress.push(e.data as (typeof progress)[number]);
    });

    const res = await api(AuthRoutes.bulkAction, {
      token: admin,
      body: { filter: { group: 'big-1' }, action: 'set-group', group: 'big-2' },
    });
    expect(res.status).toBe(200);
    expect(res.body as BulkActionResponse).toMatchObject({ total: 10_000, done: 10_000, failed: 0 });
    await waitFor(() => progress.some((p) => p.finished), 5000, 50);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ done: 10_000, total: 10_000, finished: true });
    const moved = await api(AuthRoutes.listUsers, { token: admin, query: { group: 'big-2', pageSize: 1 } });
    expect(moved.body.total).toBe(10_000);

    const tooMany = await api(AuthRoutes.bulkAction, {
      token: admin,
      query: { dryRun: true },
      body: { filter: { role: 'student' }, action: 'disable' },
    });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'TOO_MANY_USERS']);
  }, 120_000);
});
