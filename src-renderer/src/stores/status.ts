import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ProcessOp, ProcessStatus, SupervisorStatus } from '@contracts/supervisor';
import type { ServiceName } from '@contracts/services';
import type { AdminEvent } from '@contracts/realtime';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';
import { useRealtimeStore } from './realtime';

export const POLL_MS = 3000;
/** Older than two missed polls, the table is no longer what is running: shown as unknown. */
export const STALE_AFTER_MS = 2 * POLL_MS + 1000;

export type OverallShown = SupervisorStatus['overall'] | 'unknown';

/**
 * The six processes. Live from /admin `process_state`/`process_restart` events (which trigger
 * a refresh, since they carry only part of the row), plus a periodic refresh for uptime,
 * memory and health latency, which change without events.
 */
export const useStatusStore = defineStore('status', () => {
  const status = shallowRef<SupervisorStatus | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const updatedAt = ref<number | null>(null);
  /** which process has an operation in flight, to disable its buttons */
  const busy = ref<Partial<Record<ServiceName, ProcessOp>>>({});
  let timer: ReturnType<typeof setInterval> | null = null;
  let inFlight: Promise<void> | null = null;
  let eventRefresh: ReturnType<typeof setTimeout> | null = null;
  let unsubscribeIpc: (() => void) | null = null;
  let clock: ReturnType<typeof setInterval> | null = null;
  /** ticks every second while started, so staleness shows without waiting for a poll */
  const now = ref(Date.now());
  /** refreshes that failed in a row, shown as what the console is trying to do */
  const failures = ref(0);

  const processes = computed<ProcessStatus[]>(() => status.value?.processes ?? []);
  const ageMs = computed(() => (updatedAt.value === null ? null : Math.max(0, now.value - updatedAt.value)));
  /** the last answer failed or is too old: every state it shows is unknown now */
  const stale = computed(() => status.value !== null && (error.value !== null || (ageMs.value ?? 0) > STALE_AFTER_MS));
  const overall = computed<OverallShown | null>(() => (stale.value ? 'unknown' : (status.value?.overall ?? null)));
  /** null when stale: a count from an old answer is not a count */
  const runningCount = computed(() =>
    stale.value ? null : processes.value.filter((p) => p.state === 'running').length,
  );

  function refresh(): Promise<void> {
    // Overlapping polls and event-triggered refreshes share one request.
    inFlight ??= (async () => {
      loading.value = status.value === null;
      try {
        status.value = await api().get<SupervisorStatus>('supervisor', '/status');
        updatedAt.value = now.value = Date.now();
        error.value = null;
        failures.value = 0;
      } catch (err) {
        error.value = errorMessage(err);
        failures.value++;
        now.value = Date.now();
      } finally {
        loading.value = false;
        inFlight = null;
      }
    })();
    return inFlight;
  }

  function applyProcess(p: ProcessStatus): void {
    if (!status.value) return;
    status.value = {
      ...status.value,
      processes: status.value.processes.map((q) => (q.name === p.name ? p : q)),
    };
  }

  async function operate(name: ServiceName, op: ProcessOp): Promise<void> {
    busy.value = { ...busy.value, [name]: op };
    try {
      const p = await api().post<ProcessStatus>('supervisor', `/${name}/${op}`, {});
      if (p && typeof p === 'object' && 'name' in p) applyProcess(p);
      await refresh();
    } finally {
      const { [name]: _done, ...rest } = busy.value;
      busy.value = rest;
    }
  }

  function onAdminEvent(e: AdminEvent): void {
    if (e.type !== 'process_state' && e.type !== 'process_restart') return;
    const data = e.data as Partial<ProcessStatus> | null;
    // Show the new state at once; the full row follows from a refresh a moment later.
    if (data && typeof data.name === 'string' && typeof data.state === 'string' && status.value) {
      const current = status.value.processes.find((p) => p.name === data.name);
      if (current) applyProcess({ ...current, ...data } as ProcessStatus);
    }
    if (eventRefresh) clearTimeout(eventRefresh);
    eventRefresh = setTimeout(() => void refresh(), 150);
  }

  function start(): void {
    stop();
    const realtime = useRealtimeStore();
    realtime.socket('/admin').on('admin_event', onAdminEvent);
    // Events missed while the link was down: read the whole table again.
    realtime.onReconnect('/admin', () => void refresh());
    // Inside Electron the main process pushes each process's changes directly, even while the
    // realtime server itself is the one restarting.
    unsubscribeIpc = window.api?.onStatusChanged((p) => applyProcess(p)) ?? null;
    void refresh();
    timer = setInterval(() => void refresh(), POLL_MS);
    clock = setInterval(() => (now.value = Date.now()), 1000);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    if (clock) clearInterval(clock);
    clock = null;
    if (eventRefresh) clearTimeout(eventRefresh);
    unsubscribeIpc?.();
    unsubscribeIpc = null;
    timer = null;
    eventRefresh = null;
  }

  return {
    status,
    loading,
    error,
    updatedAt,
    busy,
    processes,
    overall,
    runningCount,
    stale,
    ageMs,
    failures,
    now,
    refresh,
    operate,
    start,
    stop,
    onAdminEvent,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useStatusStore, import.meta.hot));
