import { Secret, TOTP } from 'otpauth';
import { request } from 'undici';
import { type LoginResponse } from '../../contracts/auth.js';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { startStack, type TestStack } from '../../testing/stack.js';

/** Every answer may be an error body; tests read whichever the status says. */
type MaybeError = { error: { code: string; message: string; details?: any } };

/** Test helpers: a real data_node + auth_node, called over real HTTP like the CLI does. */
export interface AuthHarness {
  readonly stack: TestStack;
  call<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T & MaybeError; headers: Record<string, string | string[] | undefined> }>;
  adminToken(): Promise<string>;
}

export const ADMIN_PASSWORD = 'auth-tests-Passw0rd!';

export async function startAuthHarness(env: Record<string, string> = {}): Promise<AuthHarness> {
  const stack = await startStack({ services: ['data_node', 'auth_node'], env: { ADMIN_PASSWORD, ...env } });
  const base = stack.httpUrl('auth_node');
  let cachedAdmin: string | undefined;
  const call: AuthHarness['call'] = async (method, path, body, token, headers = {}) => {
    const res = await request(base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  return {
    stack,
    call,
    async adminToken() {
      if (!cachedAdmin) {
        const res = await call<LoginResponse>('POST', AuthPaths.loginAdmin, {
          username: 'admin',
          password: ADMIN_PASSWORD,
        });
        if (res.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(res.body)}`);
        cachedAdmin = res.body.token;
      }
      return cachedAdmin;
    },
  };
}

/**
 * Wait until the current 30 s TOTP step has at least `marginMs` left, so a code made for a step
 * offset is judged against the same step the server sees (a boundary crossed between making and
 * checking a code would shift the window by one).
 */
export async function awayFromStepEdge(marginMs = 5000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}

/** The code an authenticator would show `offsetSteps` × 30 s from now. */
export function totpCode(secret: string, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSteps * 30_000,
  });
}
