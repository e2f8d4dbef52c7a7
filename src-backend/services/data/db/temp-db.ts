import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Test support: a real SQLite file in a fresh temp folder, and how to throw both away. */
export function openTempDb(
  prefix: string,
  opts: { foreignKeys?: boolean } = {},
): { db: Database.Database; dispose: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = new Database(path.join(dir, 'test.sqlite'));
  if (opts.foreignKeys ?? true) db.pragma('foreign_keys = ON');
  const dispose = () => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { db, dispose };
}

/** The user tables, by name (SQLite's own left out). */
export function tableNames(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
  ).filter((n) => !n.startsWith('sqlite_'));
}
