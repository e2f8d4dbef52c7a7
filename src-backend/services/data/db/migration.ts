import type { Database } from 'better-sqlite3';

/** One numbered schema change. `id` orders them; it never changes once released. */
export interface Migration {
  readonly id: number;
  readonly name: string;
  up(db: Database): void;
}
