import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  type AdminEvent,
  type EventRule,
  type FlushResponse,
  type ForceEmitRequest,
  type ForceEmitResponse,
  type PendingEvent,
  type PendingResponse,
  type RealtimeStats,
  type ThrottlerConfig,
  type ThrottlerConfigPatch,
} from '@contracts/realtime';
import { THROTTLER_PATHS } from '@contracts/routes/realtime';
import { api } from '../api/instance';
import { errorMessage } from '../api/api-error';
import { toRates, type CounterSample } from '../lib/series';
import { useRealtimeStore } from './realtime';

const POLL_MS = 2000;
/** Two minutes of history at one sample per poll. */
const HISTORY = 60;

/**
 * The realtime server's event throttler (its management API, RealtimeRoutes): pending events, flush,
 * force-emit, per-event-type windows, and emitted-vs-coalesced history from /stats.
 */
export const useThrottlerStore = defineStore('throttler', () => {
  const pending = shallowRef<PendingEvent[]>([]);
  const pendingCount = ref(0);
  const pendingLoading = ref(false);
  const pendingError = ref<string | null>(null);
  const config = ref<ThrottlerConfig | null>(null);
  const configError = ref<string | null>(null);
  const stats = shallowRef<RealtimeStats | null>(null);
  const statsError = ref<string | null>(null);
  const samples = shallowRef<CounterSample[]>([]);
  const lastFlush = ref<{ flushed: number; at: number } | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;

  const rates = computed(() => toRates(samples.value));
  const eventTypes = computed(() => {
    const names = new Set<string>(Object.keys(config.value?.events ?? {}));
    for (const k of Object.keys(stats.value?.events ?? {})) names.add(k);
    return [...names].sort();
  });

  async function refreshPending(): Promise<void> {
    pendingLoading.value = pendingCount.value === 0 && pending.value.length === 0 && pendingError.value === null;
    try {
      const res = await api().get<PendingResponse>('realtime', THROTTLER_PATHS.pending);
      pending.value = res.events;
      pendingCount.value = res.count;
      pendingError.value = null;
    } catch (err) {
      pendingError.value = errorMessage(err);
    } finally {
      pendingLoading.value = false;
    }
  }

  async function refreshStats(): Promise<void> {
    try {
      const s = await api().get<RealtimeStats>('realtime', '/stats');
      stats.value = s;
      statsError.value = null;
      let emitted = 0;
      let coalesced = 0;
      for (const e of Object.values(s.events)) {
        emitted += e.emitted;
        coalesced += e.coalesced;
      }
      samples.value = [...samples.value.slice(-HISTORY), { at: Date.now(), emitted, coalesced }];
    } catch (err) {
      statsError.value = errorMessage(err);
    }
  }

  async function loadConfig(): Promise<void> {
    try {
      config.value = await api().get<ThrottlerConfig>('realtime', THROTTLER_PATHS.config);
      configError.value = null;
    } catch (err) {
      configError.value = errorMessage(err);
    }
  }

  async function flush(): Promise<number> {
    const res = await api().post<FlushResponse>('realtime', THROTTLER_PATHS.flush, {});
    lastFlush.value = { flushed: res.flushed, at: Date.now() };
    await refreshPending();
    return res.flushed;
  }

  async function forceEmit(req: ForceEmitRequest): Promise<ForceEmitResponse> {
    const res = await api().post<ForceEmitResponse>('realtime', THROTTLER_PATHS.forceEmit, req);
    await refreshPending();
    return res;
  }

  async function patchConfig(patch: ThrottlerConfigPatch): Promise<void> {
    config.value = await api().put<ThrottlerConfig>('realtime', THROTTLER_PATHS.config, patch);
  }

  function setRule(event: string, rule: EventRule | null): Promise<void> {
    return patchConfig({ events: { [event]: rule } });
  }

  function onAdminEvent(e: AdminEvent): void {
    if (e.type === 'throttler_flush') void refreshPending();
  }

  function tick(): void {
    void refreshPending();
    void refreshStats();
  }

  function start(): void {
    stop();
    const realtime = useRealtimeStore();
    realtime.socket('/admin').on('admin_event', onAdminEvent);
    realtime.onReconnect('/admin', tick);
    tick();
    timer = setInterval(tick, POLL_MS);
  }

  function stop(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return {
    pending,
    pendingCount,
    pendingLoading,
    pendingError,
    config,
    configError,
    stats,
    statsError,
    samples,
    rates,
    eventTypes,
    lastFlush,
    refreshPending,
    refreshStats,
    loadConfig,
    flush,
    forceEmit,
    patchConfig,
    setRule,
    start,
    stop,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useThrottlerStore, import.meta.hot));
