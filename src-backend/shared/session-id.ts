import { createHash } from 'node:crypto';

/**
 * Session tokens are 256-bit random values; the database keeps only their SHA-256, so a copy
 * of the file hands out no sessions. A fast hash is right here: the input has 256 bits of entropy.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * A session's public id (GET /admin/users/:id/sessions): 64 bits of a second hash over the
 * stored one. data_node derives it from the row, and every cache that holds a token (student,
 * teacher, realtime, the gateway) from the token, so "forget session X" needs no lookup table,
 * and the id cannot be turned back into the token.
 */
export function sessionIdFromHash(tokenHash: Buffer): string {
  return createHash('sha256').update('session-id:').update(tokenHash).digest('hex').slice(0, 16);
}

export function sessionIdOf(token: string): string {
  return sessionIdFromHash(hashToken(token));
}
