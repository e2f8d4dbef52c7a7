import type { Database } from 'better-sqlite3';

/** One numbered schema change. `id` orders them; it never changes once released. */
export interface Migration {
  readonly id: number;
  readonly name: string;
  /**
   * Rebuilds a table other tables reference (SQLite's "12-step" ALTER): foreign keys are off
   * around its transaction, or dropping the old table would cascade into its children, and
   * `foreign_key_check` must come back empty before it commits.
   */
  readonly rebuildsParentTable?: boolean;
  up(db: Database): void;
}
