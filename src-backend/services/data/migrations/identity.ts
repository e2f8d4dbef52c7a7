import type { Migration } from '../db/migration.js';

/**
 * Identity tables (ids 100-199). All times are integer milliseconds since the epoch, so expiry
 * checks are plain integer comparisons on the hot path. Other domains may reference
 * `users(id)`, read `users.role / username / name / user_group`, and append to `audit_log`.
 */
export const identityMigrations: readonly Migration[] = [
  {
    id: 100,
    name: 'users-and-sessions',
    up(db) {
      db.exec(`
        CREATE TABLE users (
          id INTEGER PRIMARY KEY,
          role TEXT NOT NULL CHECK (role IN ('admin', 'teacher', 'student')),
          username TEXT NOT NULL COLLATE NOCASE UNIQUE,
          name TEXT NOT NULL,
          email TEXT,
          user_group TEXT,
          password_hash TEXT NOT NULL,
          totp_secret TEXT,
          -- an admin's secret between /me/2fa/enroll and /me/2fa/confirm
          totp_pending_secret TEXT,
          -- the last accepted RFC 6238 step: a code from this step or an older one is a replay
          totp_last_step INTEGER,
          disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
          must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
          created_at INTEGER NOT NULL
        );
        CREATE INDEX users_role_name ON users (role, name);
        CREATE INDEX users_group ON users (user_group) WHERE user_group IS NOT NULL;

        -- token_hash is SHA-256 of the bearer token: a copy of the DB does not hand out sessions
        CREATE TABLE sessions (
          token_hash BLOB PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          idle_expires_at INTEGER NOT NULL,
          absolute_expires_at INTEGER NOT NULL,
          idle_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX sessions_user ON sessions (user_id);
        CREATE INDEX sessions_absolute ON sessions (absolute_expires_at);
      `);
    },
  },
  {
    id: 101,
    name: 'registration-and-reset-codes',
    up(db) {
      db.exec(`
        CREATE TABLE registration_codes (
          id INTEGER PRIMARY KEY,
          code_hash TEXT NOT NULL UNIQUE,
          user_type TEXT NOT NULL CHECK (user_type IN ('teacher', 'student')),
          user_group TEXT,
          max_uses INTEGER NOT NULL CHECK (max_uses >= 1),
          uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
          expires_at INTEGER NOT NULL,
          created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
          revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
          created_at INTEGER NOT NULL
        );
        CREATE TABLE reset_codes (
          id INTEGER PRIMARY KEY,
          code_hash TEXT NOT NULL UNIQUE,
          user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          expires_at INTEGER NOT NULL,
          used_at INTEGER,
          revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
          created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX reset_codes_user ON reset_codes (user_id);
      `);
    },
  },
  {
    id: 102,
    name: 'audit-log',
    up(db) {
      // No foreign key on actor_id: the log must outlive the accounts it mentions.
      db.exec(`
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          actor_id INTEGER,
          actor TEXT,
          action TEXT NOT NULL,
          target TEXT,
          detail TEXT
        );
      `);
    },
  },
  {
    id: 103,
    name: 'sign-in-record-and-session-origin',
    up(db) {
      // What the help desk asks first: when and from where did they last get in, how often
      // did they fail since, and where is each session from (issue 17).
      db.exec(`
        ALTER TABLE users ADD COLUMN last_login_at INTEGER;
        ALTER TABLE users ADD COLUMN last_login_address TEXT;
        ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0);
        ALTER TABLE sessions ADD COLUMN address TEXT;
        ALTER TABLE sessions ADD COLUMN user_agent TEXT;
      `);
    },
  },
  {
    id: 104,
    name: 'help-desk-codes',
    up(db) {
      // A help-desk code is a reset code that also sets a new password (POST /reset/help-desk).
      db.exec(`ALTER TABLE reset_codes ADD COLUMN help_desk INTEGER NOT NULL DEFAULT 0 CHECK (help_desk IN (0, 1));`);
    },
  },
];
