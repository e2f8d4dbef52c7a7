import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoginResponse, type UserResponse } from '../contracts/auth.js';
import { AuthPaths } from '../contracts/routes/auth.js';
import type { ConsoleResponse } from '../contracts/console-api.js';
import type { ProcessStatus } from '../contracts/supervisor.js';
import { createSessionResolver } from '../shared/session-auth.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { ConsoleDispatcher } from './dispatch.js';

const ADMIN_PASSWORD = 'dispatch-test-Passw0rd!';
let stack: TestStack;
let dispatcher: ConsoleDispatcher;

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node', 'queue_node'], env: { ADMIN_PASSWORD } });
  dispatcher = new ConsoleDispatcher({
    client: stack.client,
    // the gateway's own cache time (launch.ts): a sign-out must not wait for it
    resolver: createSessionResolver(stack.client, { ttlMs: 2000 }),
    supervisor: stack.supervisor,
  });
}, 60_000);
afterAll(() => stack?.stop());

const op = (token: string | undefined, name: string, verb: 'start' | 'stop' | 'restart'): Promise<ConsoleResponse> =>
  dispatcher.dispatch({ target: 'supervisor', method: 'POST', path: `/${name}/${verb}`, token });

async function adminToken(username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  const res = await dispatcher.dispatch({
    target: 'auth_node',
    method: 'POST',
    path: AuthPaths.loginAdmin,
    body: { username, password },
  });
  expect(res.status).toBe(200);
  return (res.body as LoginResponse).token;
}
const auth = (token: string, method: 'POST' | 'DELETE', path: string, body?: unknown) =>
  dispatcher.dispatch({ target: 'auth_node', method, path, token, ...(body ? { body } : {}) });

describe('supervisor operations while the session check is down', () => {
  it('an admin confirmed before auth_node stopped can start it again; an unknown token cannot', async () => {
    const token = await adminToken();
    expect((await op(token, 'auth_node', 'stop')).status).toBe(200);
    expect(stack.supervisor.status().processes.find((p) => p.name === 'auth_node')!.state).toBe('stopped');

    // nobody confirmed this token while auth_node was up: no grace
    const stranger = await op('f'.repeat(64), 'auth_node', 'start');
    expect(stranger.status).toBe(503);
    expect(stack.supervisor.status().processes.find((p) => p.name === 'auth_node')!.state).toBe('stopped');

    const res = await op(token, 'auth_node', 'start');
    expect(res.status).toBe(200);
    expect((res.body as ProcessStatus).state).toBe('running');
  }, 60_000);

  it('the grace ends with the session: after logout the token is refused even while auth_node is down', async () => {
    const token = await adminToken();
    expect((await op(token, 'queue_node', 'restart')).status).toBe(200); // confirmed by auth_node
    const out = await dispatcher.dispatch({ target: 'auth_node', method: 'POST', path: AuthPaths.logout, token });
    expect(out.status).toBe(200);
    expect((await op(token, 'queue_node', 'restart')).status).toBe(401); // at once, despite the cache

    const admin = await adminToken();
    expect((await op(admin, 'auth_node', 'stop')).status).toBe(200);
    expect((await op(token, 'auth_node', 'start')).status).toBe(503);
    expect((await op(admin, 'auth_node', 'start')).status).toBe(200);
  }, 60_000);
});

describe('revoked admins', () => {
  for (const how of ['disabled', 'deleted'] as const) {
    it(`a ${how} admin is refused at once, and gets no grace while auth_node is down`, async () => {
      const admin = await adminToken();
      const username = `${how}-admin`;
      const password = `passphrase-for-${how}`;
      const added = await auth(admin, 'POST', AuthPaths.addAdmin, { username, name: 'Other Admin', password });
      expect(added.status).toBe(201);
      const id = (added.body as UserResponse).user.id;
      const other = await adminToken(username, password);
      expect((await op(other, 'queue_node', 'restart')).status).toBe(200); // confirmed: cached and graced

      const revoked =
        how === 'disabled'
          ? await auth(admin, 'POST', AuthPaths.userDisable(id))
          : await auth(admin, 'DELETE', AuthPaths.user(id));
      expect(revoked.status).toBe(200);
      // Within the gateway's 2 s session cache: refused all the same.
      expect((await op(other, 'queue_node', 'restart')).status).toBe(401);

      expect((await op(admin, 'auth_node', 'stop')).status).toBe(200);
      try {
        const start = await op(other, 'auth_node', 'start');
        expect(start.status).toBe(503); // no grace: auth_node cannot confirm it, and it was revoked
        expect(stack.supervisor.status().processes.find((p) => p.name === 'auth_node')!.state).toBe('stopped');
      } finally {
        expect((await op(admin, 'auth_node', 'start')).status).toBe(200);
      }
    }, 60_000);
  }
});
