import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AuthUser } from '@contracts/auth';
import type { SessionInfo, UserDetail } from '@contracts/user-lifecycle';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { useUserDetailStore } from './user-detail';

const user = (id: number, group = 'g1'): AuthUser => ({
  id,
  username: `u${id}`,
  name: `User ${id}`,
  email: null,
  role: 'student',
  group,
  disabled: false,
  mustChangePassword: false,
  totpEnabled: true,
  createdAt: '2026-01-01T00:00:00.000Z',
});
const detail: UserDetail = {
  lastLoginAt: null,
  lastLoginAddress: null,
  failedLogins: 0,
  totpEnabled: true,
  sessions: 1,
  coursesHeld: [],
  waitlisted: [],
};
const session = (id: string): SessionInfo => ({
  id,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastSeenAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T01:00:00.000Z',
  address: '10.0.0.1',
  userAgent: 'Firefox',
  current: false,
});

describe('useUserDetailStore', () => {
  let transport: MemoryTransport;
  let sessions: SessionInfo[];
  let slow: Record<number, number>;

  beforeEach(() => {
    setActivePinia(createPinia());
    sessions = [session('aaaaaaaaaaaaaaaa'), session('bbbbbbbbbbbbbbbb')];
    slow = {};
    transport = new MemoryTransport()
      .on('GET', 'auth_node', /^\/admin\/users\/\d+\/sessions$/, () => ({ status: 200, body: { sessions } }))
      .on('GET', 'auth_node', /^\/admin\/users\/\d+$/, async (req) => {
        const id = Number(req.path.split('/').at(-1));
        await new Promise((r) => setTimeout(r, slow[id] ?? 0));
        return { status: 200, body: { user: user(id), detail } };
      })
      .on('PATCH', 'auth_node', /^\/admin\/users\/\d+$/, (req) => ({
        status: 200,
        body: { user: user(5, (req.body as { group: string }).group), notOpenToGroup: [9] },
      }))
      .on('DELETE', 'auth_node', /^\/admin\/users\/5\/sessions\/[0-9a-f]{16}$/, (req) => {
        sessions = sessions.filter((s) => !req.path.endsWith(s.id));
        return { status: 200, body: { revoked: true, sessionId: req.path.split('/').at(-1) } };
      });
    installApi(new ApiClient(transport)).setToken('t');
  });

  it('never shows the previous user while another loads, and an older answer does not win', async () => {
    const s = useUserDetailStore();
    await s.load(5);
    expect(s.user?.id).toBe(5);
    slow[6] = 50;
    const loading = s.load(6);
    expect(s.user).toBeNull();
    expect(s.sessions).toEqual([]);
    await loading;
    expect(s.user?.id).toBe(6);
  });

  it('saves with PATCH and hands back the courses the new group may not take', async () => {
    const s = useUserDetailStore();
    await s.load(5);
    const res = await s.save({ group: 'g2' });
    expect(res.notOpenToGroup).toEqual([9]);
    expect(s.user?.group).toBe('g2');
    const patch = transport.requests.find((r) => r.method === 'PATCH')!;
    expect(patch).toMatchObject({ path: '/admin/users/5', body: { group: 'g2' } });
  });

  it('ends one session and shows the rest', async () => {
    const s = useUserDetailStore();
    await s.load(5);
    await s.endSession('aaaaaaaaaaaaaaaa');
    expect(s.sessions.map((x) => x.id)).toEqual(['bbbbbbbbbbbbbbbb']);
  });
});
