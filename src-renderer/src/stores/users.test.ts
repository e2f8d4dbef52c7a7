import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { createPinia, setActivePinia } from 'pinia';
import type { AuthUser, UserPage } from '@contracts/auth';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { useUsersStore } from './users';

const user = (id: number, username: string): AuthUser => ({
  id,
  username,
  name: username,
  email: `${username}@example.com`,
  role: 'student',
  group: 'g1',
  disabled: false,
  mustChangePassword: false,
  totpEnabled: true,
  createdAt: '2026-01-01T00:00:00Z',
});

const flush = async () => {
  for (let i = 0; i < 5; i++) {
    await nextTick();
    await new Promise((r) => setTimeout(r, 0));
  }
};

describe('useUsersStore', () => {
  let transport: MemoryTransport;
  let delays: Record<string, number>;

  beforeEach(() => {
    setActivePinia(createPinia());
    delays = {};
    transport = new MemoryTransport().on('GET', 'auth_node', /^\/admin\/users\?/, async (req) => {
      const q = new URL(req.path, 'http://x').searchParams;
      const search = q.get('search') ?? '';
      await new Promise((r) => setTimeout(r, delays[search] ?? 0));
      const page: UserPage = {
        items: [user(1, search || 'all')],
        total: 60,
        page: Number(q.get('page')),
        pageSize: Number(q.get('pageSize')),
      };
      return { status: 200, body: page };
    });
    installApi(new ApiClient(transport)).setToken('t');
  });

  it('asks for role, search, page, size and sort from the allow-list', async () => {
    const s = useUsersStore();
    await s.load();
    s.sortBy('username');
    await flush();
    s.sortBy('username');
    await flush();
    const last = new URL(transport.requests.at(-1)!.path, 'http://x').searchParams;
    expect(Object.fromEntries(last)).toEqual({
      role: 'student',
      page: '1',
      pageSize: '25',
      sort: 'username',
      order: 'desc',
    });
    expect(s.pages).toBe(3);
  });

  it('goes back to page 1 when the filter changes', async () => {
    const s = useUsersStore();
    s.page = 3;
    await flush();
    s.role = 'teacher';
    await flush();
    expect(s.page).toBe(1);
    const last = new URL(transport.requests.at(-1)!.path, 'http://x').searchParams;
    expect(last.get('role')).toBe('teacher');
    expect(last.get('page')).toBe('1');
  });

  it('ignores an older answer that arrives after a newer one (fast typing)', async () => {
    const s = useUsersStore();
    delays = { al: 60, alice: 0 };
    s.search = 'al';
    await flush();
    s.search = 'alice';
    await new Promise((r) => setTimeout(r, 120));
    expect(s.items.map((u) => u.username)).toEqual(['alice']);
    expect(s.loading).toBe(false);
  });
});

describe('useUsersStore URL state', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    const transport = new MemoryTransport().on('GET', 'auth_node', /^\/admin\/users\?/, async () => ({
      status: 200,
      body: { items: [user(1, 'x')], total: 200, page: 1, pageSize: 25 } satisfies UserPage,
    }));
    installApi(new ApiClient(transport)).setToken('t');
  });

  it('writes only what differs from the defaults', async () => {
    const s = useUsersStore();
    expect(s.urlQuery).toEqual({});
    s.role = 'teacher';
    s.search = ' ali ';
    await flush();
    s.page = 3;
    s.sortBy('name');
    await flush();
    expect(s.urlQuery).toEqual({ role: 'teacher', q: 'ali', sort: 'name' });
    s.page = 2;
    await flush();
    expect(s.urlQuery).toEqual({ role: 'teacher', q: 'ali', sort: 'name', page: '2' });
  });

  it('applies a URL with its page kept (not reset by the filters that come with it)', async () => {
    const s = useUsersStore();
    await s.applyQuery({ role: 'admin', q: 'bob', page: '4', size: '50', sort: 'email', order: 'desc' });
    await flush();
    expect([s.role, s.search, s.page, s.pageSize, s.sort, s.order]).toEqual(['admin', 'bob', 4, 50, 'email', 'desc']);
    expect(s.urlQuery).toEqual({ role: 'admin', q: 'bob', page: '4', size: '50', sort: 'email', order: 'desc' });
    // A later filter change by hand starts at page 1 again.
    s.search = 'bo';
    await flush();
    expect(s.page).toBe(1);
  });

  it('falls back to the defaults for anything unknown in the URL', async () => {
    const s = useUsersStore();
    await s.applyQuery({ role: 'root', page: '-2', size: '7', sort: 'password', order: 'sideways' });
    await flush();
    expect([s.role, s.page, s.pageSize, s.sort, s.order]).toEqual(['student', 1, 25, 'id', 'asc']);
  });
});
