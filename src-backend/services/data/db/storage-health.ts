import fs from 'node:fs';
import type { Database } from 'better-sqlite3';
import { ErrorCode } from '../../../contracts/errors.js';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../../contracts/health.js';
import { AppError } from '../../../shared/app-error.js';

/** SQLite's answers that mean the disk, not the request, is the problem. */
const STORAGE_CODES = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN)/;
/** Node's, from our own file work in DATA_DIR. */
const FS_CODES = new Set(['EROFS', 'ENOSPC', 'EIO', 'EDQUOT']);

export function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (STORAGE_CODES.test(code) || FS_CODES.has(code));
}

/** How a storage error reads on /health and in the console. */
export function describeStorageError(err: unknown): string {
  const code = String((err as { code?: unknown }).code);
  const what = /FULL|ENOSPC|EDQUOT/.test(code)
    ? 'the disk is full'
    : /READONLY|EROFS/.test(code)
      ? 'DATA_DIR is read-only'
      : /CANTOPEN/.test(code)
        ? 'the database file cannot be opened for writing'
        : 'the disk reports I/O errors';
  return `storage not writable: ${what} (${code}); reads still work, writes are refused`;
}

export const storageUnavailable = (reason: string) =>
  new AppError(
    503,
    ErrorCode.STORAGE_UNAVAILABLE,
    reason,
    { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS },
    { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
  );

/** Free space below this counts as full: SQLite needs room for the WAL and a checkpoint. */
const MIN_FREE_BYTES = 1024 * 1024;

export interface StorageHealthOptions {
  readonly db: Database;
  readonly dataDir: string;
  /** opened read-only because DATA_DIR was not writable at start: recovering needs a new connection */
  readonly readOnlyStart?: string;
  readonly probeMs?: number;
  readonly log?: (level: 'warn' | 'info', message: string) => void;
  /** the connection cannot write again once the storage is back (read-only open): reopen by restarting */
  readonly reopen?: () => void;
}

/**
 * Whether data_node can write, as /health tells it. A storage error on any write turns it
 * degraded (writes answer 503 STORAGE_UNAVAILABLE, reads go on); from then on a probe every
 * couple of seconds tries a real write, so it heals by itself within seconds of the disk
 * taking writes again, with or without traffic.
 */
export class StorageHealth {
  private why: string | null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: StorageHealthOptions) {
    this.why = opts.readOnlyStart ?? null;
    if (this.why) this.startProbing();
  }

  /** The reason writes are refused, or null while the storage takes them. */
  get reason(): string | null {
    return this.why;
  }

  /** A write failed on the storage: degrade, and give the caller the 503 to answer with. */
  failed(err: unknown): AppError {
    const reason = describeStorageError(err);
    if (this.why === null) this.opts.log?.('warn', reason);
    this.why = reason;
    this.startProbing();
    return storageUnavailable(reason);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private startProbing(): void {
    this.timer ??= setInterval(() => this.probe(), this.opts.probeMs ?? 2000);
    this.timer.unref();
  }

  private probe(): void {
    if (freeBytes(this.opts.dataDir) < MIN_FREE_BYTES) return;
    if (!writable(this.opts.dataDir)) return;
    if (this.opts.readOnlyStart) {
      this.opts.log?.('info', 'DATA_DIR is writable again: restarting data_node to reopen the database');
      this.close();
      this.opts.reopen?.();
      return;
    }
    try {
      // A real write and commit, which changes nothing: proves the WAL takes frames again.
      this.opts.db
        .prepare('UPDATE schema_migrations SET id = id WHERE id = (SELECT max(id) FROM schema_migrations)')
        .run();
    } catch (err) {
      if (isStorageError(err)) this.why = describeStorageError(err);
      return;
    }
    this.opts.log?.('info', 'storage writable again: writes are taken');
    this.why = null;
    this.close();
  }
}

function freeBytes(dir: string): number {
  try {
    const st = fs.statfsSync(dir);
    return st.bavail * st.bsize;
  } catch {
    return 0;
  }
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK); // EROFS on a read-only mount, even for root
    return true;
  } catch {
    return false;
  }
}
