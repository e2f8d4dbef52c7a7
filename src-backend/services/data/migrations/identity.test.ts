import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, tableNames } from '../db/temp-db.js';
import { migrate } from '../db/migrate.js';
import { identityMigrations } from './identity.js';

let db: Database.Database;
let dispose: () => void;

beforeEach(() => {
  ({ db, dispose } = openTempDb('csc-idm-'));
});
afterEach(() => dispose());

const tables = () => tableNames(db);
const insertUser = (username: string, role = 'student') =>
  db
    .prepare('INSERT INTO users (role, username, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(role, username, username, 'h', Date.now());

describe('identity migrations', () => {
  it('use ids 100-199 only, each once', () => {
    const ids = identityMigrations.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id >= 100 && id <= 199).toBe(true);
  });

  it('100 creates users and sessions: case-insensitive unique usernames, sessions cascade with their user', () => {
    migrate(
      db,
      identityMigrations.filter((m) => m.id === 100),
    );
    expect(tables()).toEqual(['schema_migrations', 'sessions', 'users']);
    insertUser('Alice');
    expect(() => insertUser('alice')).toThrow(/UNIQUE/);
    expect(() => insertUser('bob', 'root')).toThrow(/CHECK/);
    const id = Number(insertUser('carol').lastInsertRowid);
    db.prepare('INSERT INTO sessions VALUES (?, ?, 0, 0, 1, 1, 1)').run(Buffer.alloc(32, 1), id);
    db.prepare('DELETE FROM users WHERE id = ?').run(id);
    expect(db.prepare('SELECT COUNT(*) FROM sessions').pluck().get()).toBe(0);
  });

  it('101 creates code tables whose use count can never pass max_uses', () => {
    migrate(
      db,
      identityMigrations.filter((m) => m.id <= 101),
    );
    const id = Number(insertUser('admin', 'admin').lastInsertRowid);
    db.prepare(
      "INSERT INTO registration_codes (code_hash, user_type, max_uses, expires_at, created_by, created_at) VALUES ('h1', 'student', 1, 9e12, ?, 0)",
    ).run(id);
    db.prepare("UPDATE registration_codes SET uses = 1 WHERE code_hash = 'h1'").run();
    expect(() => db.prepare("UPDATE registration_codes SET uses = 2 WHERE code_hash = 'h1'").run()).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO registration_codes (code_hash, user_type, max_uses, expires_at, created_at) VALUES ('h2', 'admin', 1, 0, 0)",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare("INSERT INTO reset_codes (code_hash, user_id, expires_at, created_at) VALUES ('r1', ?, 0, 0)").run(id);
    db.prepare('DELETE FROM users WHERE id = ?').run(id);
    expect(db.prepare('SELECT created_by FROM registration_codes').pluck().get()).toBeNull();
    expect(db.prepare('SELECT COUNT(*) FROM reset_codes').pluck().get()).toBe(0);
  });

  it('102 creates an audit log that outlives the accounts it names', () => {
    migrate(db, identityMigrations);
    db.prepare("INSERT INTO audit_log (at, actor_id, actor, action) VALUES (0, 999, 'gone', 'user_deleted')").run();
    expect(db.prepare('SELECT actor FROM audit_log').pluck().get()).toBe('gone');
  });

  it('103 keeps existing users and sessions and starts their sign-in record empty', () => {
    migrate(
      db,
      identityMigrations.filter((m) => m.id <= 102),
    );
    const id = Number(insertUser('erin').lastInsertRowid);
    db.prepare('INSERT INTO sessions VALUES (?, ?, 0, 0, 1, 1, 1)').run(Buffer.alloc(32, 2), id);
    migrate(db, identityMigrations);
    expect(db.prepare('SELECT last_login_at, last_login_address, failed_logins FROM users').get()).toEqual({
      last_login_at: null,
      last_login_address: null,
      failed_logins: 0,
    });
    expect(db.prepare('SELECT address, user_agent FROM sessions').get()).toEqual({ address: null, user_agent: null });
    expect(() => db.prepare('UPDATE users SET failed_logins = -1').run()).toThrow(/CHECK/);
  });

  it('104 marks reset codes as plain 2FA resets unless they are help-desk codes', () => {
    migrate(db, identityMigrations);
    const id = Number(insertUser('fred').lastInsertRowid);
    db.prepare("INSERT INTO reset_codes (code_hash, user_id, expires_at, created_at) VALUES ('r2', ?, 0, 0)").run(id);
    expect(db.prepare('SELECT help_desk FROM reset_codes').pluck().get()).toBe(0);
    expect(() => db.prepare('UPDATE reset_codes SET help_desk = 2').run()).toThrow(/CHECK/);
  });

  it('apply on an empty database and re-run as a no-op', () => {
    expect(migrate(db, identityMigrations)).toEqual([100, 101, 102, 103, 104]);
    insertUser('dave');
    expect(migrate(db, identityMigrations)).toEqual([]);
    expect(tables()).toEqual([
      'audit_log',
      'registration_codes',
      'reset_codes',
      'schema_migrations',
      'sessions',
      'users',
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM users').pluck().get()).toBe(1);
  });
});
