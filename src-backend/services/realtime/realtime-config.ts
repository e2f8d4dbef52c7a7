import { ConfigError } from '../../shared/config.js';

/** The realtime server's own settings, read once from the environment. */
export interface RealtimeConfig {
  /** Origins a browser handshake may come from (`*`: any); requests without an Origin (Node clients) pass. */
  readonly allowedOrigins: readonly string[];
  /** unset: ioredis-mock in-process; set: ioredis + the Redis adapter (several instances) */
  readonly redisUrl: string | null;
  /** key prefix in Redis, so several stacks can share one server */
  readonly redisPrefix: string;
  readonly throttleWindowMs: number;
  readonly flushIntervalMs: number;
  /** Socket.IO's maxHttpBufferSize: larger messages close the connection */
  readonly maxMessageBytes: number;
  /** per-user token bucket, shared by all their sockets: sustained inbound events/s and burst */
  readonly socketRate: number;
  readonly socketBurst: number;
  /** sockets one user may hold on one namespace; the oldest is disconnected beyond it */
  readonly maxSocketsPerUser: number;
  readonly logBacklog: number;
  /** connection-state recovery window; 0 turns recovery off */
  readonly recoveryMs: number;
  /** course rooms one /courses socket may watch at once */
  readonly maxWatchedCourses: number;
  /** with Redis: how long an instance's presence outlives its last refresh (a crashed instance's users go offline) */
  readonly presenceTtlMs: number;
}

/**
 * REALTIME_ALLOWED_ORIGINS plus the seeds' names for the same list, SOCKETIO_CORS_ORIGINS
 * and ALLOWED_ORIGINS (README, Environment). They are merged rather than ranked: the launcher always sets
 * REALTIME_ALLOWED_ORIGINS to the console's origin, and an operator's list under an older name adds to it.
 */
const ORIGIN_VARS = ['REALTIME_ALLOWED_ORIGINS', 'SOCKETIO_CORS_ORIGINS', 'ALLOWED_ORIGINS'] as const;

function allowedOrigins(env: NodeJS.ProcessEnv, gatewayPort: number): string[] {
  const listed = ORIGIN_VARS.flatMap((name) =>
    (env[name] ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  );
  return listed.length > 0
    ? [...new Set(listed)]
    : [`http://127.0.0.1:${gatewayPort}`, `http://localhost:${gatewayPort}`];
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name}=${raw} must be an integer from ${min} to ${max}`);
  return n;
}

export function loadRealtimeConfig(env: NodeJS.ProcessEnv, gatewayPort: number): RealtimeConfig {
  const origins = allowedOrigins(env, gatewayPort);
  const redisUrl = env.REDIS_URL || null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`REDIS_URL=${redisUrl} is not a redis:// URL`);
  return Object.freeze({
    allowedOrigins: Object.freeze(origins),
    redisUrl,
    redisPrefix: env.REALTIME_REDIS_PREFIX || 'csc:',
    throttleWindowMs: int(env, 'REALTIME_THROTTLE_MS', 250, 0, 60_000),
    flushIntervalMs: int(env, 'REALTIME_FLUSH_INTERVAL_MS', 5 * 60_000, 1000, 86_400_000),
    maxMessageBytes: int(env, 'REALTIME_MAX_MESSAGE_BYTES', 100_000, 1024, 10_000_000),
    socketRate: int(env, 'REALTIME_SOCKET_RATE', 20, 1, 100_000),
    socketBurst: int(env, 'REALTIME_SOCKET_BURST', 60, 1, 100_000),
    maxSocketsPerUser: int(env, 'REALTIME_MAX_SOCKETS_PER_USER', 10, 1, 10_000),
    logBacklog: int(env, 'REALTIME_LOG_BACKLOG', 5000, 0, 1_000_000),
    // Recovery keeps every broadcast packet for this long to replay it; during a rush that is
    // thousands a second, so the window stays short. State that matters (unread counts, chat
    // history) is in the database and clients re-fetch it anyway.
    recoveryMs: int(env, 'REALTIME_RECOVERY_MS', 10_000, 0, 600_000),
    maxWatchedCourses: int(env, 'REALTIME_MAX_WATCHED_COURSES', 500, 1, 100_000),
    presenceTtlMs: int(env, 'REALTIME_PRESENCE_TTL_MS', 30_000, 1000, 3_600_000),
  });
}
