import { acceptHMRUpdate, defineStore } from 'pinia';
import { reactive, ref, shallowRef } from 'vue';
import type { AuditEntry, AuditList } from '@contracts/auth';
import { AuthPaths } from '@contracts/routes/auth';
import { csvText } from '@contracts/csv-cell';
import type { AdminEvent } from '@contracts/realtime';
import { api } from '../api/instance';
import { withQuery } from '../api/client';
import { errorMessage } from '../api/api-error';
import { useRealtimeStore } from './realtime';

export interface AuditFilter {
  actor: string;
  action: string;
  target: string;
  /** `datetime-local` values (local time), '' = open */
  since: string;
  until: string;
}

const LIMIT = 500;
const COLUMNS = ['id', 'at', 'actor', 'action', 'target', 'detail'] as const;

const contains = (value: string | null, part: string) =>
  part === '' || (value ?? '').toLowerCase().includes(part.toLowerCase());
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Does a live entry belong in the list the filter asks for (the server's rule, applied here)? */
export function matchesFilter(e: AuditEntry, f: AuditFilter): boolean {
  const at = Date.parse(e.at);
  return (
    contains(e.actor, f.actor.trim()) &&
    contains(e.action, f.action.trim()) &&
    contains(e.target, f.target.trim()) &&
    (!f.since || at >= Date.parse(f.since)) &&
    (!f.until || at <= Date.parse(f.until))
  );
}

/** The audit log: filtered server-side, new entries live at the top, CSV export. */
export const useAuditStore = defineStore('audit', () => {
  const filter = reactive<AuditFilter>({ actor: '', action: '', target: '', since: '', until: '' });
  const items = shallowRef<AuditEntry[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** ids that arrived live, to mark them briefly */
  const arrived = ref(new Set<number>());
  let seq = 0;

  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const res = await api().get<AuditList>(
        'auth_node',
        withQuery(AuthPaths.audit, {
          limit: LIMIT,
          actor: filter.actor.trim() || undefined,
          action: filter.action.trim() || undefined,
          target: filter.target.trim() || undefined,
          since: toIso(filter.since),
          until: toIso(filter.until),
        }),
      );
      if (mine !== seq) return;
      items.value = res.items;
      error.value = null;
    } catch (err) {
      if (mine === seq) error.value = errorMessage(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function onAdminEvent(e: AdminEvent): void {
    if (e.type !== 'audit_entry') return;
    const entry = e.data as AuditEntry;
    if (typeof entry?.id !== 'number' || items.value.some((i) => i.id === entry.id)) return;
    if (!matchesFilter(entry, filter)) return;
    items.value = [entry, ...items.value].slice(0, LIMIT);
    arrived.value = new Set([...arrived.value, entry.id]);
  }

  function listen(): void {
    useRealtimeStore().onAdminEvents('audit', onAdminEvent, () => void load());
  }

  /** What the table shows, as CSV that a spreadsheet will not run as formulas. */
  function toCsv(): string {
    return csvText(
      COLUMNS,
      items.value.map((e) => COLUMNS.map((c) => e[c])),
    );
  }

  return { filter, items, loading, error, arrived, load, onAdminEvent, listen, toCsv };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAuditStore, import.meta.hot));
