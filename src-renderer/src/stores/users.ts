import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, nextTick, ref, shallowRef, watch } from 'vue';
import {
  type AddAdminRequest,
  type AuthUser,
  type BulkCreateResponse,
  type BulkUserRow,
  type CreateUserRequest,
  type CreatedUser,
  type GeneratedCode,
  type UserPage,
  type UserResponse,
  type UserSortColumn,
  USER_SORT_COLUMNS,
} from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import type { Role } from '@contracts/session';
import type { AdminEvent } from '@contracts/realtime';
import { api } from '../api/instance';
import { withQuery } from '../api/client';
import { errorMessage } from '../api/api-error';
import { useRealtimeStore } from './realtime';

export const PAGE_SIZES = [25, 50, 100] as const;
const ROLES: readonly Role[] = ['student', 'teacher', 'admin'];

/** What the Users view keeps in its URL (`#/users?role=teacher&q=ali&page=2`); defaults are left out. */
export type UsersUrlQuery = Partial<Record<'role' | 'q' | 'page' | 'size' | 'sort' | 'order', string>>;

const one = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
const pick = <T extends string>(allowed: readonly T[], v: unknown, fallback: T): T =>
  allowed.includes(one(v) as T) ? (one(v) as T) : fallback;

/** Students, teachers and admins: one paged, searchable, sortable list per role. */
export const useUsersStore = defineStore('users', () => {
  const role = ref<Role>('student');
  const search = ref('');
  const page = ref(1);
  const pageSize = ref<number>(25);
  const sort = ref<UserSortColumn>('id');
  const order = ref<'asc' | 'desc'>('asc');

  const items = shallowRef<AuthUser[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const pages = computed(() => Math.max(1, Math.ceil(total.value / pageSize.value)));
  let seq = 0;

  async function load(): Promise<void> {
    // Only the newest request may write the list: typing fast fires several.
    const mine = ++seq;
    loading.value = true;
    try {
      const res = await api().get<UserPage>(
        'auth_node',
        withQuery(AuthPaths.users, {
          role: role.value,
          search: search.value.trim(),
          page: page.value,
          pageSize: pageSize.value,
          sort: sort.value,
          order: order.value,
        }),
      );
      if (mine !== seq) return;
      items.value = res.items;
      total.value = res.total;
      error.value = null;
      // Deleting the last row of the last page leaves us past the end.
      if (res.items.length === 0 && res.total > 0 && page.value > 1) {
        page.value = Math.ceil(res.total / pageSize.value);
      }
    } catch (err) {
      if (mine === seq) error.value = errorMessage(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** set while a URL is being applied: its page must survive the filter change that comes with it */
  let applying = false;

  // Any change of what is asked for reloads; a new filter starts at page 1.
  watch([role, search, pageSize, sort, order], () => {
    if (!applying) page.value = 1;
  });
  watch([role, search, page, pageSize, sort, order], () => void load());

  function sortBy(col: UserSortColumn): void {
    if (sort.value === col) order.value = order.value === 'asc' ? 'desc' : 'asc';
    else {
      sort.value = col;
      order.value = 'asc';
    }
  }

  /** The list's state as URL query keys, defaults left out, so a reload or Back shows the same list. */
  const urlQuery = computed<UsersUrlQuery>(() => {
    const q: UsersUrlQuery = {};
    if (role.value !== 'student') q.role = role.value;
    if (search.value.trim()) q.q = search.value.trim();
    if (page.value !== 1) q.page = String(page.value);
    if (pageSize.value !== PAGE_SIZES[0]) q.size = String(pageSize.value);
    if (sort.value !== 'id') q.sort = sort.value;
    if (order.value !== 'asc') q.order = order.value;
    return q;
  });

  /**
   * Take the list's state from a URL query (anything unknown falls back to the default). The
   * page is applied with the filters, not reset by them. Resolves once the watchers have run.
   */
  async function applyQuery(q: Record<string, unknown>): Promise<void> {
    applying = true;
    role.value = pick(ROLES, q.role, 'student');
    search.value = (one(q.q) ?? '').slice(0, 100);
    const size = Number(one(q.size));
    pageSize.value = (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0];
    sort.value = pick(USER_SORT_COLUMNS, q.sort, 'id');
    order.value = pick(['asc', 'desc'] as const, q.order, 'asc');
    const p = Number(one(q.page));
    page.value = Number.isInteger(p) && p >= 1 ? p : 1;
    await nextTick();
    applying = false;
  }

  async function create(req: CreateUserRequest): Promise<CreatedUser> {
    const res = await api().post<CreatedUser>('auth_node', AuthPaths.users, req);
    void load();
    return res;
  }

  async function createAdmin(req: AddAdminRequest): Promise<AuthUser> {
    const res = await api().post<UserResponse>('auth_node', AuthPaths.addAdmin, req);
    void load();
    return res.user;
  }

  async function remove(id: number): Promise<void> {
    await api().delete('auth_node', AuthPaths.user(id));
    await load();
  }

  async function setDisabled(id: number, disabled: boolean): Promise<AuthUser> {
    const res = await api().post<UserResponse>(
      'auth_node',
      disabled ? AuthPaths.userDisable(id) : AuthPaths.userEnable(id),
      {},
    );
    items.value = items.value.map((u) => (u.id === id ? res.user : u));
    return res.user;
  }

  function resetCode(username: string): Promise<GeneratedCode> {
    return api().post<GeneratedCode>('auth_node', AuthPaths.generateResetCode, { username });
  }

  async function bulkCreate(users: BulkUserRow[], atomic: boolean): Promise<BulkCreateResponse> {
    const res = await api().post<BulkCreateResponse>('auth_node', AuthPaths.usersBulk, { users, atomic });
    void load();
    return res;
  }

  /** Someone else (the CLI, another admin) changed users: refresh what we show. */
  function onAdminEvent(e: AdminEvent): void {
    if (e.type === 'user_created' || e.type === 'user_deleted' || e.type === 'user_disabled') void load();
  }

  /** Users created or deleted while the link was down sent events nobody heard: reload then. */
  function listen(): void {
    useRealtimeStore().onAdminEvents('users', onAdminEvent, () => void load());
  }

  return {
    role,
    search,
    page,
    pageSize,
    sort,
    order,
    items,
    total,
    pages,
    loading,
    error,
    urlQuery,
    load,
    sortBy,
    applyQuery,
    create,
    createAdmin,
    remove,
    setDisabled,
    resetCode,
    bulkCreate,
    listen,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useUsersStore, import.meta.hot));
