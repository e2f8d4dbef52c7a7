import type { Redis } from 'ioredis';

/** A throttled event waiting for its window to close, as kept in Redis. */
export interface StoredPending {
  readonly namespace: string;
  readonly event: string;
  readonly room: string | null;
  readonly data: unknown;
  readonly count: number;
  readonly firstAt: number;
  readonly dueAt: number;
}

const HASH = 'pending_events';

/**
 * Pending events in one Redis hash, field = `namespace|event|room`. `take` is atomic (MULTI), so
 * when several instances share a key exactly one of them emits what is pending.
 */
export class PendingStore {
  constructor(private readonly redis: Redis) {}

  static key(namespace: string, event: string, room: string | null): string {
    return `${namespace}|${event}|${room ?? ''}`;
  }

  async put(key: string, entry: StoredPending): Promise<void> {
    await this.redis.hset(HASH, key, JSON.stringify(entry));
  }

  async take(key: string): Promise<StoredPending | null> {
    const res = await this.redis.multi().hget(HASH, key).hdel(HASH, key).exec();
    const raw = res?.[0]?.[1];
    return typeof raw === 'string' ? (JSON.parse(raw) as StoredPending) : null;
  }

  async list(): Promise<Array<{ key: string; entry: StoredPending }>> {
    const all = await this.redis.hgetall(HASH);
    return Object.entries(all).map(([key, raw]) => ({ key, entry: JSON.parse(raw) as StoredPending }));
  }

  async count(): Promise<number> {
    return this.redis.hlen(HASH);
  }
}
