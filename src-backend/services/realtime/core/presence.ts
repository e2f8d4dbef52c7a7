import type { Redis } from 'ioredis';

/**
 * Who is online, in seed 004's Redis keys: `online_users` (a set of user ids) and
 * `user_sockets:<id>` (that user's socket ids). Shared through Redis, so every instance agrees.
 */
export class Presence {
  constructor(private readonly redis: Redis) {}

  /** true when this is the user's first socket (they just came online) */
  async add(userId: number, socketId: string): Promise<boolean> {
    const res = await this.redis.multi().sadd(`user_sockets:${userId}`, socketId).scard(`user_sockets:${userId}`).sadd('online_users', String(userId)).exec();
    return res?.[1]?.[1] === 1;
  }

  /** true when that was the user's last socket (they just went offline) */
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
