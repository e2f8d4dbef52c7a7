import type { Redis } from 'ioredis';

/** Who is online: a user is online while at least one of their sockets is connected. */
export interface Presence {
  /** true when this is the user's first socket (they just came online) */
  add(userId: number, socketId: string): Promise<boolean>;
  /** true when that was the user's last socket (they just went offline) */
  remove(userId: number, socketId: string): Promise<boolean>;
  online(): Promise<number[]>;
  areOnline(userIds: readonly number[]): Promise<Record<string, boolean>>;
  /** begin any periodic upkeep */
  start(): void;
  close(): Promise<void>;
}

const INSTANCES = 'presence_instances';

/**
 * Several instances sharing Redis. Each keeps the users it has sockets for in its own set,
 * `online_users:<instanceId>` (not one global set: README "Where we differ from the seed
 * documents"), whose TTL it refreshes every ttl/3; `presence_instances` scores each instance
 * by its last refresh. An instance that dies stops refreshing, so its users drop out when its
 * set expires, and a later refresh by anyone prunes it from the list. Online = in the set of any listed instance.
 */
export class RedisPresence implements Presence {
  private readonly local = new LocalPresence();
  private readonly key: string;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly instanceId: string,
    private readonly ttlMs: number,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.key = `online_users:${instanceId}`;
  }

  start(): void {
    const refresh = () => this.refresh().catch(this.onError);
    void refresh();
    this.timer = setInterval(refresh, Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  private async refresh(): Promise<void> {
    const now = Date.now();
    const users = (await this.local.online()).map(String);
    const m = this.redis.multi().zadd(INSTANCES, now, this.instanceId);
    // re-adding everyone also heals a Redis that restarted empty
    if (users.length > 0) m.sadd(this.key, ...users).pexpire(this.key, this.ttlMs);
    // twice the TTL: clocks of instances on other hosts may differ a little
    await m.zremrangebyscore(INSTANCES, '-inf', now - 2 * this.ttlMs).exec();
  }

  private async others(): Promise<string[]> {
    return (await this.redis.zrange(INSTANCES, 0, -1)).filter((id) => id !== this.instanceId);
  }

  private async elsewhere(userId: number): Promise<boolean> {
    const others = await this.others();
    if (others.length === 0) return false;
    const p = this.redis.pipeline();
    for (const id of others) p.sismember(`online_users:${id}`, String(userId));
    return (await p.exec())?.some(([, v]) => v === 1) ?? false;
  }

  async add(userId: number, socketId: string): Promise<boolean> {
    if (!(await this.local.add(userId, socketId))) return false;
    await this.redis
      .multi()
      .sadd(this.key, String(userId))
      .pexpire(this.key, this.ttlMs)
      .zadd(INSTANCES, Date.now(), this.instanceId)
      .exec();
    return !(await this.elsewhere(userId));
  }

  async remove(userId: number, socketId: string): Promise<boolean> {
    if (!(await this.local.remove(userId, socketId))) return false;
    await this.redis.srem(this.key, String(userId));
    return !(await this.elsewhere(userId));
  }

  async online(): Promise<number[]> {
    const ids = await this.redis.zrange(INSTANCES, 0, -1);
    if (ids.length === 0) return [];
    return (await this.redis.sunion(...ids.map((id) => `online_users:${id}`))).map(Number).sort((a, b) => a - b);
  }

  async areOnline(userIds: readonly number[]): Promise<Record<string, boolean>> {
    const ids = await this.redis.zrange(INSTANCES, 0, -1);
    const online = new Set<number>();
    if (ids.length > 0) {
      const p = this.redis.pipeline();
      for (const id of ids) p.smismember(`online_users:${id}`, ...userIds.map(String));
      for (const [, flags] of (await p.exec()) ?? [])
        (flags as number[]).forEach((f, i) => f === 1 && online.add(userIds[i]!));
    }
    return Object.fromEntries(userIds.map((id) => [String(id), online.has(id)]));
  }

  /** Leave cleanly: this instance's users are offline at once rather than after the TTL. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.redis.multi().del(this.key).zrem(INSTANCES, this.instanceId).exec();
  }
}

/**
 * One instance, no Redis server: the same bookkeeping in this process. (ioredis-mock copies a
 * whole set on every set command, which made presence O(online users) per call.)
 */
export class LocalPresence implements Presence {
  private readonly sockets = new Map<number, Set<string>>();

  async add(userId: number, socketId: string): Promise<boolean> {
    let set = this.sockets.get(userId);
    if (!set) this.sockets.set(userId, (set = new Set()));
    set.add(socketId);
    return set.size === 1;
  }

  async remove(userId: number, socketId: string): Promise<boolean> {
    const set = this.sockets.get(userId);
    if (!set?.delete(socketId) || set.size > 0) return false;
    this.sockets.delete(userId);
    return true;
  }

  async online(): Promise<number[]> {
    return [...this.sockets.keys()].sort((a, b) => a - b);
  }

  async areOnline(userIds: readonly number[]): Promise<Record<string, boolean>> {
    return Object.fromEntries(userIds.map((id) => [String(id), this.sockets.has(id)]));
  }

  start(): void {}

  async close(): Promise<void> {}
}
