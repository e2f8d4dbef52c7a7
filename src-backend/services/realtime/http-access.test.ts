import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestStack } from '../../testing/stack.js';
import { seedUsers, startRealtimeStack, type SeededUser } from './testing/rt-harness.js';
import { RealtimeRoutes } from '../../contracts/routes/realtime.js';
import { THROTTLER_PATHS } from '../../contracts/routes/realtime.js';

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const HOOK_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: 60_000 });

let stack: TestStack;
let url: string;
let admin: SeededUser;
let teacher: SeededUser;
let student: SeededUser;

beforeAll(async () => {
  stack = await startRealtimeStack({ env: { REALTIME_FLUSH_INTERVAL_MS: '600000' } });
  url = stack.httpUrl('realtime');
  [admin, teacher, student] = await seedUsers(stack, [
    { role: 'admin' },
    { role: 'teacher' },
    { role: 'student', group: 'acl-g' },
  ]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  await stack?.stop();
}, HOOK_TIMEOUT_MS);

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** a valid body, so only the caller decides the outcome */
  readonly body?: () => unknown;
  readonly ok: number;
}

const note = { type: 'general', title: 'acl', message: 'm' };

/** Every route that changes something, plus the staff-only reads. */
const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: RealtimeRoutes.emit.url,
    body: () => ({ events: [{ event: 'admin_event', data: { type: 'acl', data: 1 } }] }),
    ok: 202,
  },
  {
    method: 'POST',
    path: RealtimeRoutes.logs.url,
    body: () => ({ lines: [{ seq: 1, time: new Date().toISOString(), level: 'info', service: 'acl', msg: 'x' }] }),
    ok: 202,
  },
  {
    method: 'POST',
    path: RealtimeRoutes.disconnectUser.url,
    body: () => ({ userId: teacher.id, reason: 'acl test' }),
    ok: 200,
  },
  { method: 'POST', path: '/api/notify', body: () => ({ recipientId: student.id, ...note }), ok: 201 },
  { method: 'POST', path: '/api/broadcast', body: () => ({ groupId: 'acl-nobody', ...note }), ok: 201 },
  { method: 'POST', path: THROTTLER_PATHS.flush, body: () => ({}), ok: 200 },
  {
    method: 'POST',
    path: THROTTLER_PATHS.forceEmit,
    body: () => ({
      event: 'course:seats',
      room: 'course:424242',
      data: { courseId: 424242, enrolled: 1, capacity: 2, seatsLeft: 1 },
    }),
    ok: 200,
  },
  { method: 'PUT', path: THROTTLER_PATHS.config, body: () => ({ defaultWindowMs: 250 }), ok: 200 },
  { method: 'GET', path: THROTTLER_PATHS.config, ok: 200 },
  { method: 'GET', path: THROTTLER_PATHS.pending, ok: 200 },
  { method: 'GET', path: '/api/online-users', ok: 200 },
];

type Caller = 'anonymous' | 'bad token' | 'student' | 'teacher' | 'admin' | 'internal';
const CALLERS: readonly Caller[] = ['anonymous', 'bad token', 'student', 'teacher', 'admin', 'internal'];

function headersOf(caller: Caller): Record<string, string> {
  switch (caller) {
    case 'anonymous':
      return {};
    case 'bad token':
      return { authorization: 'Bearer not-a-session' };
    case 'student':
      return { authorization: `Bearer ${student.token}` };
    case 'teacher':
      return { authorization: `Bearer ${teacher.token}` };
    case 'admin':
      return { authorization: `Bearer ${admin.token}` };
    case 'internal':
      return { 'x-internal-token': stack.env.INTERNAL_TOKEN! };
  }
}

function expected(route: Route, caller: Caller): number {
  if (caller === 'anonymous' || caller === 'bad token') return 401;
  if (caller === 'student' || caller === 'teacher') return 403;
  return route.ok;
}

async function call(route: Route, caller: Caller, body?: unknown): Promise<{ status: number; code?: string }> {
  const payload = body ?? route.body?.();
  const res = await fetch(`${url}${route.path}`, {
    method: route.method,
    headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headersOf(caller) },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  });
  const json = (await res.json()) as { error?: { code: string } };
  return { status: res.status, ...(json.error ? { code: json.error.code } : {}) };
}

describe('HTTP access: the internal token or an admin session, nothing else', () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const caller of CALLERS) {
      got[caller] = (await call(route, caller)).status;
      want[caller] = expected(route, caller);
    }
    expect(got).toEqual(want);
  });

  it('refusals are coded, and come before the body is looked at', async () => {
    const notify = ROUTES.find((r) => r.path === '/api/notify')!;
    expect(await call(notify, 'anonymous', { nonsense: true })).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await call(notify, 'student', { nonsense: true })).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await call(notify, 'admin', { nonsense: true })).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
