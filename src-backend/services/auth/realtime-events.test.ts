import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedUser, type LoginResponse } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { ADMIN_EVENT } from '../../contracts/realtime-internal.js';
import { connect, next } from '../realtime/testing/rt-harness.js';
import { startStack } from '../../testing/stack.js';
import { ADMIN_PASSWORD, totpCode } from './test-support.js';
import { request } from 'undici';

// data_node + auth_node + the real realtime server, with real socket.io-client connections.
let stack: Awaited<ReturnType<typeof startStack>>;
let admin: string;
let adminSocket: Socket;
const open: Socket[] = [];

async function call<T = any>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await request(stack.httpUrl('auth_node') + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as T };
}

/** The next admin event of `type` on the admin socket. */
function adminEvent(type: string, timeoutMs = 5000): Promise<{ type: string; data: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      adminSocket.off(ADMIN_EVENT, onEvent);
      reject(new Error(`no ${type} admin event within ${timeoutMs} ms`));
    }, timeoutMs);
    const onEvent = (e: { type: string; data: Record<string, unknown> }) => {
      if (e.type !== type) return;
      clearTimeout(timer);
      adminSocket.off(ADMIN_EVENT, onEvent);
      resolve(e);
    };
    adminSocket.on(ADMIN_EVENT, onEvent);
  });
}

async function signedInStudent(username: string): Promise<{ id: number; token: string; socket: Socket }> {
  const created = await call<CreatedUser>(
    'POST',
    AuthPaths.users,
    { role: 'student', username, name: username, password: 'student-password' },
    admin,
  );
  const login = await call<LoginResponse>('POST', AuthPaths.login, {
    username,
    password: 'student-password',
    totp: totpCode(created.body.totpSecret),
  });
  const socket = await connect(stack.httpUrl('realtime'), '/', login.body.token);
  open.push(socket);
  return { id: created.body.user.id, token: login.body.token, socket };
}

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node', 'realtime'], env: { ADMIN_PASSWORD } });
  admin = (await call<LoginResponse>('POST', AuthPaths.loginAdmin, { username: 'admin', password: ADMIN_PASSWORD }))
    .body.token;
  adminSocket = await connect(stack.httpUrl('realtime'), '/admin', admin);
  open.push(adminSocket);
}, 120_000);
afterAll(async () => {
  for (const s of open) s.close();
  await stack?.stop();
}, 120_000);

describe('auth_node → realtime', () => {
  it('publishes user_created and code_generated (never the code itself) to /admin', async () => {
    const created = adminEvent('user_created');
    await call(
      'POST',
      AuthPaths.users,
      { role: 'teacher', username: 'evt-teacher', name: 'T', password: 'teacher-password' },
      admin,
    );
    expect((await created).data).toMatchObject({ username: 'evt-teacher', role: 'teacher' });

    const generated = adminEvent('code_generated');
    const res = await call('POST', AuthPaths.generateRegistrationCode, { userType: 'student', maxUses: 3 }, admin);
    const event = await generated;
    expect(event.data).toMatchObject({ kind: 'registration', userType: 'student', maxUses: 3, id: res.body.info.id });
    expect(JSON.stringify(event)).not.toContain(res.body.code);

    // A revocation from anywhere (the CLI, another console) reaches the Codes view too.
    const revoked = adminEvent('code_revoked');
    const id = res.body.info.id as number;
    expect((await call('POST', AuthPaths.codeRevoke(id, 'registration'), undefined, admin)).status).toBe(200);
    expect((await revoked).data).toMatchObject({ id, kind: 'registration' });
  });

  it("logout closes the user's live sockets", async () => {
    const s = await signedInStudent('evt-logout');
    const gone = next(s.socket, 'disconnect');
    expect((await call('POST', AuthPaths.logout, undefined, s.token)).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
  });

  it('disable closes the sockets and tells /admin; delete tells /admin too', async () => {
    const s = await signedInStudent('evt-disable');
    const gone = next(s.socket, 'disconnect');
    const disabled = adminEvent('user_disabled');
    expect((await call('POST', AuthPaths.userDisable(s.id), undefined, admin)).status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    expect((await disabled).data).toMatchObject({ id: s.id, disabled: true });
    // the session is dead, so the socket cannot come back
    await expect(connect(stack.httpUrl('realtime'), '/', s.token)).rejects.toThrow(/unauthorized/);

    const deleted = adminEvent('user_deleted');
    expect((await call('DELETE', AuthPaths.user(s.id), undefined, admin)).status).toBe(200);
    expect((await deleted).data).toMatchObject({ id: s.id, username: 'evt-disable' });
  });
});
