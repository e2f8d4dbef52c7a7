import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AuditEntry } from '@contracts/auth';
import { matchesFilter, useAuditStore } from './audit';

const entry = (id: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2026-12-03T09:00:00.000Z',
  actorId: null,
  actor: 'admin',
  action: 'user_created',
  target: 'alice',
  detail: null,
  ...over,
});

describe('useAuditStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('puts a live entry that matches the filter at the top, once, and leaves others out', () => {
    const s = useAuditStore();
    s.items = [entry(1)];
    s.filter.action = 'login';
    s.onAdminEvent({ type: 'audit_entry', data: entry(2, { action: 'user_deleted' }) });
    expect(s.items.map((e) => e.id)).toEqual([1]);
    s.onAdminEvent({ type: 'audit_entry', data: entry(3, { action: 'login_failed', actor: null }) });
    s.onAdminEvent({ type: 'audit_entry', data: entry(3, { action: 'login_failed', actor: null }) });
    expect(s.items.map((e) => e.id)).toEqual([3, 1]);
    expect(s.arrived.has(3)).toBe(true);
  });

  it('exports formula-safe CSV', () => {
    const s = useAuditStore();
    s.items = [entry(1, { target: '=cmd|calc', detail: 'a, "b"' })];
    expect(s.toCsv()).toBe(
      'id,at,actor,action,target,detail\r\n1,2026-12-03T09:00:00.000Z,admin,user_created,\'=cmd|calc,"a, ""b"""\r\n',
    );
  });

  it('matches actor, action and target by part, any case, and the time range', () => {
    const f = { actor: 'ADM', action: '', target: 'ali', since: '2026-12-03T08:00:00Z', until: '' };
    expect(matchesFilter(entry(1), f)).toBe(true);
    expect(matchesFilter(entry(1, { actor: null }), f)).toBe(false);
    expect(matchesFilter(entry(1), { ...f, until: '2026-12-03T08:30:00Z' })).toBe(false);
  });
});
