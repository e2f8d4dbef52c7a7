import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ProcessOp, ProcessStatus, SupervisorStatus } from '@contracts/supervisor';
import type { ServiceName } from '@contracts/services';
import type { AdminEvent } from '@contracts/realtime';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';
import { useRealtimeStore } from './realtime';

const POLL_MS = 3000;

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

  const processes = computed<ProcessStatus[]>(() => status.value?.processes ?? []);
  const overall = computed(() => status.value?.overall ?? null);
  const runningCount = computed(() => processes.value.filter((p) => p.state === 'running').length);

  function refresh(): Promise<void> {
    // Overlapping polls and event-triggered refreshes share one request.
    inFlight ??= (async () => {
      loading.value = status.value === null;
      try {
        status.value = await api().get<SupervisorStatus>('supervisor', '/status');
        updatedAt.value = Date.now();
        error.value = null;
      } catch (err) {
        error.value = errorMessage(err);
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
  }

  function stop(): void {
    if (timer) clearInterval(timer);
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
    refresh,
    operate,
    start,
    stop,
    onAdminEvent,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useStatusStore, import.meta.hot));
