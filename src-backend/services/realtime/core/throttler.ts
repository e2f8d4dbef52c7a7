import type { EventRule, PendingEvent, ThrottlerConfig, ThrottlerConfigPatch } from '../../../contracts/realtime.js';
import { PendingStore, type StoredPending } from './pending-store.js';

export interface Emission {
  readonly namespace: string;
  readonly event: string;
  /** several rooms: every socket in any of them gets it once (such events are never coalesced) */
  readonly room: string | readonly string[] | null;
  readonly data: unknown;
}
/** What can be held back: an emission to one room or the whole namespace. */
type OneRoomEmission = Emission & { readonly room: string | null };

interface LocalPending {
  timer: NodeJS.Timeout;
  data: unknown;
  count: number;
  firstAt: number;
  dueAt: number;
}

export type SubmitResult = 'emitted' | 'queued' | 'coalesced';

/**
 * The event throttler. Bursts per (namespace, event, room) are folded within a window and the
 * latest (or merged) payload is emitted once when the window closes, so 10,000 seat-count changes
 * a second become 1000/windowMs emits. Pending events live in Redis: other instances and the
 * management API see them, and the periodic flush emits whatever a crashed instance left behind.
 */
export class Throttler {
  private readonly local = new Map<string, LocalPending>();
  private config: ThrottlerConfig;
  private periodic: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: PendingStore,
    private readonly emit: (e: Emission) => void,
    config: ThrottlerConfig,
    private readonly onFlush: (flushed: number, reason: string) => void = () => {},
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.config = structuredClone(config);
  }

  /** The rule for an event type; `force` applies the default window to an event without one. */
  ruleFor(event: string, force = false): EventRule | null {
    const rule = this.config.events[event];
    if (rule && rule.windowMs > 0) return rule;
    if (force && this.config.defaultWindowMs > 0) return { windowMs: this.config.defaultWindowMs, mode: 'latest' };
    return null;
  }

  /** Emit now, or fold into the pending event for this key. `throttle` overrides the event's rule. */
  submit(e: Emission, throttle?: boolean): SubmitResult {
    const rule = throttle === false || this.closed ? null : this.ruleFor(e.event, throttle === true);
    if (!rule || !oneRoom(e)) {
      this.emit(e);
      return 'emitted';
    }
    const key = PendingStore.key(e.namespace, e.event, e.room);
    const now = Date.now();
    let p = this.local.get(key);
    const coalesced = p !== undefined;
    if (p) {
      p.data = rule.mode === 'merge' ? merge(p.data, e.data) : e.data;
      p.count += 1;
    } else {
      p = {
        data: e.data,
        count: 1,
        firstAt: now,
        dueAt: now + rule.windowMs,
        timer: setTimeout(() => void this.due(key), rule.windowMs),
      };
      this.local.set(key, p);
    }
    const stored: StoredPending = {
      namespace: e.namespace,
      event: e.event,
      room: e.room,
      data: p.data,
      count: p.count,
      firstAt: p.firstAt,
      dueAt: p.dueAt,
    };
    this.store.put(key, stored).catch(this.onError);
    return coalesced ? 'coalesced' : 'queued';
  }

  /** The window closed: take the pending event (atomically, another instance may share it) and emit it. */
  private async due(key: string): Promise<void> {
    this.local.delete(key);
    try {
      const entry = await this.store.take(key);
      if (entry) this.emit(entry);
    } catch (err) {
      this.onError(err);
    }
  }

  async pendingCount(): Promise<number> {
    return this.store.count();
  }

  async pendingList(): Promise<PendingEvent[]> {
    const all = await this.store.list();
    return all
      .map(({ key, entry }) => ({
        key,
        namespace: entry.namespace,
        event: entry.event,
        room: entry.room,
        data: entry.data,
        count: entry.count,
        firstAt: new Date(entry.firstAt).toISOString(),
        dueAt: new Date(entry.dueAt).toISOString(),
      }))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
  }

  /** Emit everything pending now, this instance's and any left in the store. */
  async flushAll(reason = 'manual'): Promise<number> {
    for (const p of this.local.values()) clearTimeout(p.timer);
    this.local.clear();
    let flushed = 0;
    for (const { key } of await this.store.list()) {
      const entry = await this.store.take(key);
      if (!entry) continue;
      this.emit(entry);
      flushed += 1;
    }
    this.onFlush(flushed, reason);
    return flushed;
  }

  /** Emit at once, bypassing the throttle; a pending event for the same key is dropped (this one is newer). */
  async forceEmit(e: Emission): Promise<{ replacedPending: boolean }> {
    if (!oneRoom(e)) {
      this.emit(e); // several rooms are never held back, so nothing can be pending for them
      return { replacedPending: false };
    }
    const key = PendingStore.key(e.namespace, e.event, e.room);
    const p = this.local.get(key);
    if (p) clearTimeout(p.timer);
    this.local.delete(key);
    const taken = await this.store.take(key);
    this.emit(e);
    return { replacedPending: Boolean(p || taken) };
  }

  getConfig(): ThrottlerConfig {
    return structuredClone(this.config);
  }

  setConfig(patch: ThrottlerConfigPatch): ThrottlerConfig {
    const events = { ...this.config.events };
    for (const [name, rule] of Object.entries(patch.events ?? {})) {
      if (rule === null) delete events[name];
      else events[name] = rule;
    }
    this.config = {
      defaultWindowMs: patch.defaultWindowMs ?? this.config.defaultWindowMs,
      flushIntervalMs: patch.flushIntervalMs ?? this.config.flushIntervalMs,
      events,
    };
    if (patch.flushIntervalMs !== undefined && this.periodic) this.startPeriodicFlush();
    return this.getConfig();
  }

  /** Nothing stays stuck: every flushIntervalMs (REALTIME_FLUSH_INTERVAL_MS, 5 min), emit what is pending. */
  startPeriodicFlush(): void {
    if (this.periodic) clearInterval(this.periodic);
    this.periodic = setInterval(() => {
      this.flushAll('periodic').catch(this.onError);
    }, this.config.flushIntervalMs);
    this.periodic.unref();
  }

  /** Stop timers and emit what is pending, so shutdown loses nothing this instance held. */
  async close(): Promise<number> {
    if (this.periodic) clearInterval(this.periodic);
    this.periodic = null;
    const flushed = this.local.size > 0 ? await this.flushAll('shutdown') : 0;
    this.closed = true;
    return flushed;
  }
}

function oneRoom(e: Emission): e is OneRoomEmission {
  return typeof e.room === 'string' || e.room === null;
}

function merge(a: unknown, b: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObj(a) && isObj(b) ? { ...a, ...b } : b;
}
