import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import type { LogLevel, LogRecord } from '@contracts/supervisor';
import { api } from '../api/instance';
import type { Ack, LogEvent } from '@contracts/realtime';
import {
  appendCapped,
  compileFilter,
  lowerBoundById,
  formatFields,
  normaliseLevel,
  type LogFilter,
  type LogLine,
} from '../lib/log-buffer';
import { useRealtimeStore } from './realtime';

/** Lines kept in memory; older ones fall off the top. */
export const LOG_BUFFER_CAP = 20_000;
/** Lines asked for when the stream opens (and again on reconnect, to fill the gap). */
export const LOG_BACKLOG = 1000;
/** Safety valve: if frames stop (hidden window), at most this many lines wait for one. */
const PENDING_CAP = LOG_BUFFER_CAP;

/**
 * At most this many list updates a second. Every update re-lays-out and repaints the list, and
 * without a GPU a repaint of the window costs tens of milliseconds, so a flood is shown as ~10
 * batched updates a second (each one frame-aligned), which reads as live and leaves frames for
 * scrolling and typing.
 */
export const LOG_FLUSH_MIN_MS = 100;

type Scheduler = (cb: () => void) => void;
let lastFlushAt = 0;
const nextFrame: Scheduler = (cb) => {
  const wait = Math.max(0, lastFlushAt + LOG_FLUSH_MIN_MS - performance.now());
  const onFrame = () => {
    lastFlushAt = performance.now();
    cb();
  };
  // A hidden window gets no frames: fall back to a timer so the buffer still drains.
  const frame = () =>
    typeof requestAnimationFrame === 'function' && !document.hidden ? requestAnimationFrame(onFrame) : onFrame();
  if (wait > 0) setTimeout(frame, wait);
  else frame();
};

/**
 * The live log stream. Thousands of lines a second arrive on /logs; they are queued and applied
 * in one animation frame per batch (at most every LOG_FLUSH_MIN_MS) as ONE array swap on shallow
 * refs, so Vue does one update per batch, not one per line, and the list is virtualised by the view.
 */
export const useLogsStore = defineStore('logs', () => {
  const lines = shallowRef<LogLine[]>([]);
  const visible = shallowRef<LogLine[]>([]);
  const filter = ref<LogFilter>({ services: [], minLevel: '', search: '' });
  const paused = ref(false);
  /** lines that arrived while paused and are not yet shown */
  const heldBack = ref(0);
  const backlogLoading = ref(false);
  const backlogError = ref<string | null>(null);
  /** lines per second over the last second, for the header */
  const rate = ref(0);
  const knownServices = ref<string[]>([]);

  let pending: LogLine[] = [];
  let scheduled = false;
  let nextId = 1;
  let started = false;
  let counted = 0;
  let rateTimer: ReturnType<typeof setInterval> | null = null;
  let schedule: Scheduler = nextFrame;
  let predicate = compileFilter(filter.value);

  const total = computed(() => lines.value.length);

  function toLine(e: Partial<LogEvent>): LogLine {
    return markRaw({
      id: nextId++,
      seq: typeof e.seq === 'number' ? e.seq : -1,
      time: typeof e.timestamp === 'string' ? e.timestamp : new Date().toISOString(),
      level: normaliseLevel(e.level),
      service: typeof e.service === 'string' ? e.service : 'unknown',
      text: typeof e.text === 'string' ? e.text : JSON.stringify(e.text ?? ''),
      fields: formatFields(e.fields),
    });
  }

  function ingest(e: LogEvent): void {
    counted++;
    pending.push(toLine(e));
    if (pending.length > PENDING_CAP) pending = pending.slice(pending.length - PENDING_CAP);
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  }

  /** Apply everything queued since the last frame. Exposed for tests and for pause/resume. */
  function flush(): void {
    scheduled = false;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    noteServices(batch);
    lines.value = appendCapped(lines.value, batch, LOG_BUFFER_CAP);
    if (paused.value) {
      heldBack.value += batch.length;
      return;
    }
    const shown = batch.filter(predicate);
    const oldest = lines.value[0]?.id ?? 0;
    let base = visible.value;
    // Drop shown lines that have fallen out of the buffer.
    if (base.length && base[0]!.id < oldest) base = base.slice(lowerBoundById(base, oldest));
    if (shown.length || base !== visible.value) visible.value = appendCapped(base, shown, LOG_BUFFER_CAP);
  }

  function noteServices(batch: readonly LogLine[]): void {
    let added: string[] | null = null;
    for (const l of batch) {
      if (!knownServices.value.includes(l.service) && !(added ?? []).includes(l.service))
        (added ??= []).push(l.service);
    }
    if (added) knownServices.value = [...knownServices.value, ...added].sort();
  }

  function refilter(): void {
    predicate = compileFilter(filter.value);
    visible.value = lines.value.filter(predicate);
  }

  function setFilter(patch: Partial<LogFilter>): void {
    filter.value = { ...filter.value, ...patch };
  }
  watch(filter, refilter, { deep: true });

  function pause(): void {
    paused.value = true;
  }

  function resume(): void {
    paused.value = false;
    heldBack.value = 0;
    flush();
    refilter();
  }

  function clear(): void {
    lines.value = [];
    visible.value = [];
    heldBack.value = 0;
  }

  /** Merge a backlog in seq order, skipping lines we already have (reconnects overlap). */
  function mergeBacklog(events: readonly LogEvent[]): void {
    flush();
    const have = new Set(lines.value.map((l) => l.seq));
    const fresh = events.filter((e) => typeof e.seq !== 'number' || !have.has(e.seq)).map(toLine);
    if (fresh.length === 0) return;
    noteServices(fresh);
    const merged = lines.value.concat(fresh).sort((a, b) => a.seq - b.seq || a.id - b.id);
    // Re-number so ids stay in display order, which the trimming above relies on.
    lines.value = merged.slice(-LOG_BUFFER_CAP).map((l) => markRaw({ ...l, id: nextId++ }));
    refilter();
  }

  /**
   * The supervisor's own buffer outlives realtime: after a realtime restart, realtime's backlog
   * is empty but these lines from before it are still there. Same seq numbers, so merging twice
   * adds nothing. Absent (services on other hosts): the realtime backlog is all there is.
   */
  async function loadSupervisorBacklog(): Promise<void> {
    try {
      const res = await api().get<{ lines: LogRecord[] }>('supervisor', `/logs?limit=${LOG_BACKLOG}`);
      mergeBacklog(
        res.lines.map((r) => ({
          seq: r.seq,
          text: r.msg,
          level: r.level,
          service: r.service,
          timestamp: r.time,
          fields: r.fields,
        })),
      );
    } catch {
      // best effort: the realtime backlog still arrives
    }
  }

  function requestBacklog(): void {
    const s = useRealtimeStore().socket('/logs');
    void loadSupervisorBacklog();
    backlogLoading.value = true;
    s.timeout(10_000).emit(
      'logs:backlog',
      { limit: LOG_BACKLOG },
      (err: Error | null, res: Ack<{ lines: LogEvent[] }>) => {
        backlogLoading.value = false;
        if (err) backlogError.value = 'the log backlog did not arrive in time';
        else if (!res.success) backlogError.value = res.error;
        else {
          backlogError.value = null;
          mergeBacklog(res.lines);
        }
      },
    );
  }

  function start(): void {
    if (started) return;
    started = true;
    const s = useRealtimeStore().socket('/logs');
    s.on('log', ingest);
    s.on('connect', requestBacklog);
    if (s.connected) requestBacklog();
    rateTimer = setInterval(() => {
      rate.value = counted;
      counted = 0;
    }, 1000);
  }

  function stop(): void {
    started = false;
    if (rateTimer) clearInterval(rateTimer);
    rateTimer = null;
    pending = [];
    clear();
  }

  /** Tests drive frames by hand. */
  function setScheduler(s: Scheduler): void {
    schedule = s;
  }

  return {
    lines,
    visible,
    filter,
    paused,
    heldBack,
    backlogLoading,
    backlogError,
    rate,
    knownServices,
    total,
    ingest,
    flush,
    setFilter,
    pause,
    resume,
    clear,
    mergeBacklog,
    requestBacklog,
    start,
    stop,
    setScheduler,
  };
});

export type { LogLevel };

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLogsStore, import.meta.hot));
