import { createHash, randomBytes } from 'node:crypto';

/**
 * Session tokens are 256-bit random values; the database keeps only their SHA-256, so a copy
 * of the file hands out no sessions. A fast hash is right here: the input has 256 bits of entropy.
 */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
