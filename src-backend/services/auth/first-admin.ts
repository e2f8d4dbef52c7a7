import type { Logger } from 'pino';
import { ServiceCallError } from '../../shared/service-client.js';
import type { IdentityStore } from './identity-store.js';
import { generatePassword, hashPassword } from './security/passwords.js';

/**
 * On an empty database, create `admin`. Its password is ADMIN_PASSWORD, or else a random one
 * printed once (stderr and the log) that must be changed at first sign-in. Never a default.
 */
export async function ensureFirstAdmin(store: IdentityStore, adminPassword: string | undefined, logger: Logger): Promise<void> {
  const password = adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  let created = false;
  // data_node is started first, but give it a moment if it is still settling after a restart.
  for (let attempt = 0; ; attempt++) {
    try {
      created = (await store.bootstrapAdmin({ username: 'admin', name: 'Administrator', passwordHash, mustChangePassword: !adminPassword })).created;
      break;
    } catch (err) {
      if (!(err instanceof ServiceCallError) || err.statusCode < 500 || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
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
  process.stderr.write(`${banner}\n`);
  logger.warn(`first start: created admin account "admin" with one-time password ${password} (change it at first sign-in)`);
}
