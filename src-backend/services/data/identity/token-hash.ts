import { randomBytes } from 'node:crypto';

export { hashToken, sessionIdFromHash } from '../../../shared/session-id.js';

/** A new session token: 256 random bits (the database keeps only its hash, see hashToken). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}
