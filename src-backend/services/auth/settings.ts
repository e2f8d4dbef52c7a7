import { isLoopbackHost } from '../../shared/config.js';
import { ConfigError } from '../../shared/config.js';
import type { ThrottleOptions } from './security/throttle.js';
import { passwordShapeProblem } from '../../contracts/password-policy.js';

/** The account a first start creates. */
export const FIRST_ADMIN_USERNAME = 'admin';

/** auth_node's own environment, parsed once. */
export interface AuthSettings {
  /** admins must enrol TOTP before their session works for anything else */
  readonly requireAdmin2fa: boolean;
  /** the first admin's password on an empty database; random (printed once) when unset */
  readonly adminPassword: string | undefined;
  readonly throttle: Partial<ThrottleOptions>;
  /** argon2 hashes in flight for one bulk import: leaves thread-pool room for logins */
  readonly bulkHashConcurrency: number;
  /** a session ends after this long unused, and in any case after sessionAbsoluteSeconds */
  readonly sessionIdleSeconds: number;
  readonly sessionAbsoluteSeconds: number;
  readonly now: () => number;
}

function intEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name}=${raw} is not a non-negative integer`);
  return n;
}

export function loadAuthSettings(env: NodeJS.ProcessEnv, host: string): AuthSettings {
  const flag = env.REQUIRE_ADMIN_2FA;
  if (flag !== undefined && flag !== '' && !/^(true|false|1|0)$/i.test(flag)) {
    throw new ConfigError(`REQUIRE_ADMIN_2FA=${flag} is not true or false`);
  }
  const throttle: { -readonly [K in keyof ThrottleOptions]?: ThrottleOptions[K] } = {};
  const free = intEnv(env, 'LOGIN_FREE_FAILURES');
  const base = intEnv(env, 'LOGIN_BASE_DELAY_MS');
  const perAddress = intEnv(env, 'LOGIN_ADDRESS_LIMIT');
  const ceiling = intEnv(env, 'LOGIN_ACCOUNT_CEILING');
  const ceilingDelay = intEnv(env, 'LOGIN_CEILING_DELAY_MS');
  if (free !== undefined) throttle.freeFailures = free;
  if (base !== undefined) throttle.baseDelayMs = base;
  if (perAddress !== undefined) throttle.addressLimit = perAddress;
  if (ceiling !== undefined) throttle.accountCeiling = ceiling;
  if (ceilingDelay !== undefined) throttle.ceilingDelayMs = ceilingDelay;
  // The dictionary half of the rule needs an async load: ensureFirstAdmin applies it.
  const shape = env.ADMIN_PASSWORD ? passwordShapeProblem(env.ADMIN_PASSWORD, FIRST_ADMIN_USERNAME) : null;
  if (shape) throw new ConfigError(`ADMIN_PASSWORD: ${shape}`);
  return {
    // Off loopback the console is reachable from the network: admin 2FA is not optional there.
    requireAdmin2fa: /^(true|1)$/i.test(flag ?? '') || !isLoopbackHost(host),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    throttle,
    bulkHashConcurrency: Math.max(1, intEnv(env, 'BULK_HASH_CONCURRENCY') ?? 2),
    sessionIdleSeconds: Math.min(7 * 24 * 3600, Math.max(60, (intEnv(env, 'SESSION_IDLE_MINUTES') ?? 30) * 60)),
    // clamped to what data_node accepts (7 days idle, 30 days absolute)
    sessionAbsoluteSeconds: Math.min(
      30 * 24 * 3600,
      Math.max(60, (intEnv(env, 'SESSION_ABSOLUTE_HOURS') ?? 12) * 3600),
    ),
    now: Date.now,
  };
}
