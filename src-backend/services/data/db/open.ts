import path from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import { migrations as allMigrations } from '../migrations/index.js';
import type { Migration } from './migration.js';
import { migrate } from './migrate.js';
import { prepareDataDir } from './data-dir.js';

export const DB_FILE_NAME = 'course-selection.sqlite';

/**
 * Open (and migrate) the one database file. WAL lets readers run beside the writer;
 * synchronous=FULL makes an acknowledged selection survive power loss.
 */
export function openDatabase(
  dataDir: string,
  opts: { migrations?: readonly Migration[]; warn?: (message: string) => void } = {},
): Db {
  const file = path.join(dataDir, DB_FILE_NAME);
  prepareDataDir(dataDir, file, opts.warn ?? ((message) => process.emitWarning(message)));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, opts.migrations ?? allMigrations);
  return db;
}
