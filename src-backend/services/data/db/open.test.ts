import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { migrations } from '../migrations/index.js';
import { DB_FILE_NAME, openDatabase } from './open.js';

let root: string;
let db: Database | null = null;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-open-'));
});
afterEach(() => {
  if (db?.open) db.close();
  db = null;
  fs.rmSync(root, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates DATA_DIR (private) and keeps the one file inside it', () => {
    const dataDir = path.join(root, 'nested', 'data');
    db = openDatabase(dataDir);
    expect(db.name).toBe(path.join(dataDir, DB_FILE_NAME));
    expect(fs.existsSync(db.name)).toBe(true);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    // WAL's side files sit beside it, nothing is written anywhere else
    expect(fs.readdirSync(root)).toEqual(['nested']);
    expect(fs.readdirSync(dataDir).every((f) => f.startsWith(DB_FILE_NAME))).toBe(true);
  });

  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout on every open', () => {
    for (let i = 0; i < 2; i++) {
      db = openDatabase(root);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      db.close();
    }
  });

  it('applies every migration once, and a reopen applies none', () => {
    db = openDatabase(root);
    const applied = () => db!.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(applied()).toEqual(migrations.map((m) => m.id));
    db.close();
    db = openDatabase(root);
    expect(applied()).toEqual(migrations.map((m) => m.id));
  });

  it('enforces foreign keys: an enrollment for an unknown student is refused', () => {
    db = openDatabase(root);
    const course = db.prepare("INSERT INTO courses (code, name, capacity, credits) VALUES ('FK1', 'FK', 5, 1)").run();
    expect(() =>
      db!.prepare('INSERT INTO enrollments (student_id, course_id) VALUES (?, ?)').run(999_999, course.lastInsertRowid),
    ).toThrow(/FOREIGN KEY/);
  });
});
