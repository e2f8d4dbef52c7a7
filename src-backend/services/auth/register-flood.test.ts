import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { DataIdentityRoutes } from '../../contracts/routes/data-identity.js';
import type { App } from '../../shared/create-app.js';
import { startStack, type TestStack } from '../../testing/stack.js';
import { buildAuthApp } from './app.js';
import type { AuthDeps } from './deps.js';
import { hashCode } from './security/codes.js';

// auth_node in-process (so inject can set the peer address and argon2 calls can be counted)
// over a real data_node process.
let stack: TestStack;
let app: App;
let deps: AuthDeps;

beforeAll(async () => {
  stack = await startStack({ services: ['data_node'] });
  ({ app, deps } = await buildAuthApp({
    config: stack.config,
    client: stack.client,
    settings: { throttle: { addressLimit: 5, freeFailures: 100 } },
  }));
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

const fromAddress = (remoteAddress: string, url: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url, remoteAddress, payload });

describe('registration flood', () => {
  it('a dead code costs no argon2id hash, and failed registrations fill the sign-in limiter', async () => {
    const code = 'DEADC-0DE01';
    await stack.client.call(DataIdentityRoutes.createRegistrationCode, {
      body: {
        codeHash: hashCode(code),
        userType: 'student',
        maxUses: 5,
        expiresAtMs: Date.now() - 1000,
        createdBy: null,
      },
    });
    await deps.passwords.warmUp(); // the dummy hash for unknown users is made once, at start
    const hashes = vi.spyOn(argon2, 'hash');
    try {
      const answers = [];
      for (let i = 0; i < 8; i++) {
        answers.push(
          await fromAddress('10.6.6.6', AuthPaths.register, {
            code,
            username: `flood-${i}`,
            name: 'Flood',
            email: 'flood@example.org',
            password: 'a-long-enough-password',
          }),
        );
      }
      expect(hashes).not.toHaveBeenCalled();
      expect(answers.slice(0, 5).every((a) => a.json().error.code === 'CODE_EXPIRED')).toBe(true);
      expect(answers.slice(5).every((a) => a.statusCode === 429 && Number(a.headers['retry-after']) >= 1)).toBe(true);
    } finally {
      hashes.mockRestore();
    }
    // The same limiter as sign-ins: that address may not try passwords now either.
    const signIn = await fromAddress('10.6.6.6', AuthPaths.loginAdmin, { username: 'admin', password: 'whatever-1' });
    expect(signIn.statusCode).toBe(429);
    expect(signIn.json().error.message).toContain('from this address');
  });
});
