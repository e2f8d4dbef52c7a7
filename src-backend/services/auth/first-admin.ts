import type { Logger } from 'pino';
import { ServiceCallError } from '../../shared/service-client.js';
import type { IdentityStore } from './identity-store.js';
import { generatePassword, hashPassword } from './security/passwords.js';
import { writeToTerminal } from '../../shared/terminal.js';
import { loadPasswordPolicy } from '../../contracts/password-policy.js';
import { ConfigError } from '../../shared/config.js';
import { FIRST_ADMIN_USERNAME } from './settings.js';

/**
 * On an empty database, create `admin`. Its password is ADMIN_PASSWORD, or else a random one
 * printed once on the terminal (never in the log) that must be changed at first sign-in. Never a default.
 * ADMIN_PASSWORD obeys the password rule like any other password; a weak one stops the start.
 */
export async function ensureFirstAdmin(
  store: IdentityStore,
  adminPassword: string | undefined,
  logger: Logger,
): Promise<void> {
  // The usual case is a database that already has an admin: skip the argon2 hash then.
  if (
    (await retrying(() => store.listUsers({ role: 'admin', page: 1, pageSize: 1, sort: 'id', order: 'asc' }))).total > 0
  )
    return;
  if (adminPassword) {
    const problem = (await loadPasswordPolicy()).problem(adminPassword, FIRST_ADMIN_USERNAME);
    if (problem) throw new ConfigError(`ADMIN_PASSWORD: ${problem}`);
  }
  const password = adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  // bootstrapAdmin re-checks inside one transaction, so two racing starts create one admin.
  const { created } = await retrying(() =>
    store.bootstrapAdmin({
      username: FIRST_ADMIN_USERNAME,
      name: 'Administrator',
      passwordHash,
      mustChangePassword: !adminPassword,
    }),
  );
  if (!created) return;
  if (adminPassword) {
    logger.info('created the first admin account "admin" with the password from ADMIN_PASSWORD');
    return;
  }
  const banner = [
    '',
    '================================================================',
    ' First start: created the admin account.',
    '   username: admin',
    `   password: ${password}`,
    ' This is shown once. You must change it at first sign-in.',
    '================================================================',
    '',
  ].join('\n');
  // Only the terminal sees the password: never a log line, which the Logs view and the log
  // files would keep long after it was changed.
  writeToTerminal(banner);
  logger.warn('first start: created admin account "admin" with a one-time password, shown in the terminal only');
}

/** data_node is started first, but give it a moment if it is still settling after a restart. */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ServiceCallError) || err.statusCode < 500 || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
