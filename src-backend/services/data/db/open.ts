import fs from 'node:fs';
import path from 'node:path';
import Database, { type Database as Db } from 'better-sqlite3';
import { migrations as allMigrations } from '../migrations/index.js';
import type { Migration } from './migration.js';
import { migrate } from './migrate.js';
import { prepareDataDir } from './data-dir.js';
import { describeStorageError, isStorageError } from './storage-health.js';
import { ConfigError } from '../../../shared/config.js';

export const DB_FILE_NAME = 'course-selection.sqlite';

/**
 * Open (and migrate) the one database file. WAL lets readers run beside the writer;
 * synchronous=FULL makes an acknowledged selection survive power loss.
 */
export interface OpenOptions {
  readonly migrations?: readonly Migration[];
  readonly warn?: (message: string) => void;
}

export function openDatabase(dataDir: string, opts: OpenOptions = {}): Db {
  const file = path.join(dataDir, DB_FILE_NAME);
  prepareDataDir(dataDir, file, opts.warn ?? ((message) => process.emitWarning(message)));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, opts.migrations ?? allMigrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * data_node's open: for writing when it can; when DATA_DIR cannot be written (read-only, full),
 * what is there is opened read-only so sign-ins of existing sessions and every read go on, and
 * `readOnly` says why. Nothing there yet, or changes still in the -wal that cannot be merged
 * without writing, are start-up errors.
 */
export function openDatabaseOrReadOnly(dataDir: string, opts: OpenOptions = {}): { db: Db; readOnly: string | null } {
  // Before the first open: lets openReadOnly name the file as an `immutable` URI.
  process.env.SQLITE_USE_URI ??= '1';
  try {
    return { db: openDatabase(dataDir, opts), readOnly: null };
  } catch (err) {
    if (!isStorageError(err)) throw err;
    return { db: openReadOnly(path.join(dataDir, DB_FILE_NAME), err), readOnly: describeStorageError(err) };
  }
}

function openReadOnly(file: string, cause: unknown): Db {
  const code = (cause as { code?: string }).code;
  if (!fs.existsSync(file)) throw new ConfigError(`DATA_DIR cannot be written (${code}) and holds no database yet`);
  if (fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0) {
    throw new ConfigError(`DATA_DIR cannot be written (${code}) and ${file}-wal holds changes that need it writable`);
  }
  // WAL mode reads through a -shm file, which a read-only disk cannot hold. With no -wal left
  // (a clean stop merged it), the file alone is the whole database: read it as immutable.
  const uri = `file:${file.split('/').map(encodeURIComponent).join('/')}?immutable=1`;
  const db = new Database(uri, { readonly: true, fileMustExist: true });
  db.pragma('foreign_keys = ON');
  return db;
}
