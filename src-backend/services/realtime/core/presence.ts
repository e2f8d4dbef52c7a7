import type { Redis } from 'ioredis';

/** Who is online: a user is online while at least one of their sockets is connected. */
export interface Presence {
  /** true when this is the user's first socket (they just came online) */
  add(userId: number, socketId: string): Promise<boolean>;
  /** true when that was the user's last socket (they just went offline) */
  remove(userId: number, socketId: string): Promise<boolean>;
  online(): Promise<number[]>;
  areOnline(userIds: readonly number[]): Promise<Record<string, boolean>>;
}

/**
 * Seed 004's Redis keys, shared by every instance: `online_users` (a set of user ids) and
 * `user_sockets:<id>` (that user's socket ids).
 */
export class RedisPresence implements Presence {
  constructor(private readonly redis: Redis) {}

  async add(userId: number, socketId: string): Promise<boolean> {
    const res = await this.redis.multi().sadd(`user_sockets:${userId}`, socketId).scard(`user_sockets:${userId}`).sadd('online_users', String(userId)).exec();
    return res?.[1]?.[1] === 1;
  }

  async remove(userId: number, socketId: string): Promise<boolean> {
    const res = await this.redis.multi().srem(`user_sockets:${userId}`, socketId).scard(`user_sockets:${userId}`).exec();
    if (res?.[1]?.[1] !== 0) return false;
    await this.redis.srem('online_users', String(userId));
    return true;
  }

  async online(): Promise<number[]> {
    return (await this.redis.smembers('online_users')).map(Number).sort((a, b) => a - b);
  }

  async areOnline(userIds: readonly number[]): Promise<Record<string, boolean>> {
    const flags = await this.redis.smismember('online_users', ...userIds.map(String));
    return Object.fromEntries(userIds.map((id, i) => [String(id), flags[i] === 1]));
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
}
