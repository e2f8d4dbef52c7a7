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

const PREFIX = 'pending_event:';

/**
 * Pending events in Redis, one string key per (namespace, event, room): `take` is atomic (MULTI
 * GET+DEL), so when several instances share a key exactly one of them emits what is pending.
 * One key each rather than one hash: ioredis-mock copies a whole hash on every write, which made
 * each update O(pending keys); a plain key costs the same however many are pending.
 */
export class PendingStore {
  /** `keyPrefix` must be the client's keyPrefix: SCAN patterns and results are not prefixed for us */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  static key(namespace: string, event: string, room: string | null): string {
    return `${namespace}|${event}|${room ?? ''}`;
  }

  async put(key: string, entry: StoredPending): Promise<void> {
    await this.redis.set(PREFIX + key, JSON.stringify(entry));
  }

  async take(key: string): Promise<StoredPending | null> {
    const res = await this.redis
      .multi()
      .get(PREFIX + key)
      .del(PREFIX + key)
      .exec();
    const raw = res?.[0]?.[1];
    return typeof raw === 'string' ? (JSON.parse(raw) as StoredPending) : null;
  }

  /** the store keys (without any prefix) of everything pending, via SCAN so Redis never blocks */
  private async keys(): Promise<string[]> {
    const full = `${this.keyPrefix}${PREFIX}`;
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${full}*`, 'COUNT', 1000);
      cursor = String(next);
      for (const k of batch) if (k.startsWith(full)) out.push(k.slice(full.length));
    } while (cursor !== '0');
    return out;
  }

  async list(): Promise<Array<{ key: string; entry: StoredPending }>> {
    const keys = await this.keys();
    if (keys.length === 0) return [];
    const raws = await Promise.all(keys.map((k) => this.redis.get(PREFIX + k)));
    const out: Array<{ key: string; entry: StoredPending }> = [];
    keys.forEach((key, i) => {
      const raw = raws[i];
      if (typeof raw === 'string') out.push({ key, entry: JSON.parse(raw) as StoredPending });
    });
    return out;
  }

  async count(): Promise<number> {
    return (await this.keys()).length;
  }
}
