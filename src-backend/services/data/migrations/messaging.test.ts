import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb, tableNames } from '../db/temp-db.js';
import { migrate } from '../db/migrate.js';
import { messagingMigrations } from './messaging.js';

let db: Database.Database;
let dispose: () => void;

beforeEach(() => {
  ({ db, dispose } = openTempDb('csc-msgm-'));
});
afterEach(() => dispose());

const tables = () => tableNames(db);
const plan = (sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((p) => p.detail).join(' ');
const notify = (recipient: number | null) =>
  Number(
    db
      .prepare("INSERT INTO notifications (recipient_id, type, title, message) VALUES (?, 'info', 't', 'm')")
      .run(recipient).lastInsertRowid,
  );

describe('messaging migrations', () => {
  it('use ids 300-399 only, each once', () => {
    const ids = messagingMigrations.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id >= 300 && id <= 399).toBe(true);
  });

  it('300 creates chat messages, stand-alone from users, with indexes for a conversation and unread counts', () => {
    migrate(
      db,
      messagingMigrations.filter((m) => m.id === 300),
    );
    expect(tables()).toEqual(['chat_messages', 'schema_migrations']);
    // no users table at all: a message names ids only, so deleting an account is never blocked
    db.prepare("INSERT INTO chat_messages (sender_id, receiver_id, body) VALUES (1, 2, 'hi')").run();
    const row = db.prepare('SELECT created_at, read_at FROM chat_messages').get() as {
      created_at: string;
      read_at: string | null;
    };
    expect(row.read_at).toBeNull();
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(() => db.prepare('INSERT INTO chat_messages (sender_id, receiver_id) VALUES (1, 2)').run()).toThrow(
      /NOT NULL/,
    );
    expect(plan('SELECT * FROM chat_messages WHERE sender_id = 1 AND receiver_id = 2 ORDER BY id DESC')).toMatch(
      /chat_messages_pair/,
    );
    expect(plan('SELECT count(*) FROM chat_messages WHERE receiver_id = 2 AND read_at IS NULL')).toMatch(
      /chat_messages_unread/,
    );
  });

  it('301 creates notifications whose reads cascade away with them, one read per reader', () => {
    migrate(db, messagingMigrations);
    const direct = notify(5);
    const broadcast = notify(null);
    expect(db.prepare('SELECT metadata FROM notifications WHERE id = ?').pluck().get(direct)).toBe('{}');
    const read = db.prepare('INSERT INTO notification_reads (notification_id, user_id) VALUES (?, ?)');
    read.run(broadcast, 7);
    read.run(broadcast, 8);
    expect(() => read.run(broadcast, 7)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => read.run(999_999, 7)).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM notifications WHERE id = ?').run(broadcast);
    expect(db.prepare('SELECT count(*) FROM notification_reads').pluck().get()).toBe(0);
    // broadcasts are found through an index, never a scan (SQLite prefers notifications_recipient here)
    expect(plan('SELECT id FROM notifications WHERE recipient_id IS NULL AND id > 0')).toMatch(/USING .*INDEX/);
    expect(plan('SELECT id FROM notifications WHERE recipient_id = 5 ORDER BY id')).toMatch(/notifications_recipient/);
  });

  it('apply on an empty database and re-run as a no-op', () => {
    expect(migrate(db, messagingMigrations)).toEqual([300, 301, 302]);
    notify(1);
    // presence scopes ask who wrote to a user: an index, not a scan of every message
    expect(plan('SELECT sender_id FROM chat_messages WHERE receiver_id = 5')).toMatch(/chat_messages_receiver/);
    expect(migrate(db, messagingMigrations)).toEqual([]);
    expect(tables()).toEqual(['chat_messages', 'notification_reads', 'notifications', 'schema_migrations']);
    expect(db.prepare('SELECT count(*) FROM notifications').pluck().get()).toBe(1);
  });
});
