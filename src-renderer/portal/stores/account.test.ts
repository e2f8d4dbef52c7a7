import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AuthUser } from '@contracts/auth';
import { ApiClient } from '../../src/api/client';
import { installApi } from '../../src/api/instance';
import { MemoryTransport } from '../../src/testing/memory-transport';
import { userFor } from '../testing/signed-in';
import { PORTAL_TOKEN_KEY, useAccountStore } from './account';

const user = (role: AuthUser['role']): AuthUser => userFor(3, role);

describe('useAccountStore', () => {
  let transport: MemoryTransport;
  let client: ApiClient;
  let role: AuthUser['role'];

  beforeEach(() => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    role = 'student';
    transport = new MemoryTransport()
      .on('POST', 'auth_node', /^\/login$/, () => ({
        status: 200,
        body: { token: 'tok-1', expiresAt: '2026-12-03T10:00:00Z', user: user(role), mfaSetupRequired: false },
      }))
      .on('GET', 'auth_node', /^\/me$/, (req) =>
        req.token === 'tok-1'
          ? { status: 200, body: { user: user(role), expiresAt: '2026-12-03T10:00:00Z', mfaSetupRequired: false } }
          : { status: 401, body: { error: { code: 'INVALID_SESSION', message: 'session ended' } } },
      )
      .on('POST', 'auth_node', /^\/register$/, () => ({
        status: 201,
        body: { user: user('student'), totpSecret: 'SECRETSECRETSECRET', otpauthUri: 'otpauth://totp/x?secret=S' },
      }));
    client = installApi(new ApiClient(transport));
  });

  it('signs in a student: the token is kept for reloads and sent with every call', async () => {
    const a = useAccountStore();
    await a.signIn({ username: 'paula', password: 'pw', totp: '123456' });
    expect(a.isSignedIn).toBe(true);
    expect(a.role).toBe('student');
    expect(sessionStorage.getItem(PORTAL_TOKEN_KEY)).toBe('tok-1');
    expect(client.hasToken).toBe(true);
  });

  it('refuses an admin: the console is theirs, and nothing is kept', async () => {
    role = 'admin';
    const a = useAccountStore();
    await expect(a.signIn({ username: 'root', password: 'pw', totp: '123456' })).rejects.toThrow(/console/);
    expect(a.isSignedIn).toBe(false);
    expect(sessionStorage.getItem(PORTAL_TOKEN_KEY)).toBeNull();
  });

  it('registering gives a secret to enrol, but no session until a code signs in', async () => {
    const a = useAccountStore();
    const e = await a.register({
      code: 'ABCDE-FGHJK',
      username: 'paula',
      name: 'P',
      email: 'p@x.edu',
      password: 'pw-long-enough',
    });
    expect(e).toMatchObject({ username: 'user3', totpSecret: 'SECRETSECRETSECRET', reason: 'registered' });
    expect(a.isSignedIn).toBe(false);
    await a.signIn({ username: 'paula', password: 'pw-long-enough', totp: '123456' });
    expect(a.enrolment).toBeNull();
  });

  it('restores a saved session, and drops one the server no longer knows', async () => {
    sessionStorage.setItem(PORTAL_TOKEN_KEY, 'tok-1');
    expect(await useAccountStore().restore()).toBe(true);
    setActivePinia(createPinia());
    sessionStorage.setItem(PORTAL_TOKEN_KEY, 'stale');
    const a = useAccountStore();
    expect(await a.restore()).toBe(false);
    expect(sessionStorage.getItem(PORTAL_TOKEN_KEY)).toBeNull();
  });

  it('an expired session ends everywhere and says why once', async () => {
    const a = useAccountStore();
    await a.signIn({ username: 'paula', password: 'pw', totp: '123456' });
    a.expire();
    expect(a.isSignedIn).toBe(false);
    expect(a.endedReason).toMatch(/session has ended/);
    expect(sessionStorage.getItem(PORTAL_TOKEN_KEY)).toBeNull();
    a.expire('again');
    expect(a.endedReason).toMatch(/session has ended/); // not signed in: nothing to end twice
  });
});
