import { Redis } from 'ioredis';
import RedisMock from 'ioredis-mock';

/**
 * The Redis-compatible store behind pending throttled events and presence. Without REDIS_URL it
 * is ioredis-mock in this process (one instance, nothing to install); with it, a real server
 * shared by every realtime instance.
 */
export function createRedis(url: string | null, keyPrefix: string): Redis {
  if (!url) return new (RedisMock as unknown as typeof Redis)({ keyPrefix });
  return new Redis(url, {
    keyPrefix,
    // many small commands a second during a rush: send them in one round trip per tick
    enableAutoPipelining: true,
    maxRetriesPerRequest: 2,
    lazyConnect: false,
  });
}

/** Two plain connections for the Socket.IO Redis adapter (a subscriber cannot issue commands). */
export function createAdapterClients(url: string): { pub: Redis; sub: Redis } {
  return { pub: new Redis(url, { maxRetriesPerRequest: 2 }), sub: new Redis(url, { maxRetriesPerRequest: 2 }) };
}
