import type { AuthUser } from '../../../contracts/auth.js';
import type { DataCredentials } from '../../../contracts/routes/data-identity.js';
import type { Role } from '../../../contracts/session.js';

/** A `users` row as SQLite returns it. */
export interface UserRow {
  id: number;
  role: Role;
  username: string;
  name: string;
  email: string | null;
  user_group: string | null;
  password_hash: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  disabled: number;
  must_change_password: number;
  created_at: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    role: row.role,
    group: row.user_group,
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    totpEnabled: row.totp_secret !== null,
    createdAt: iso(row.created_at),
  };
}

export function toCredentials(row: UserRow): DataCredentials {
  return {
    user: toAuthUser(row),
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpPendingSecret: row.totp_pending_secret,
    totpLastStep: row.totp_last_step,
  };
}

/** SQLite's error codes for the constraint failures we turn into 409s. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}
export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
