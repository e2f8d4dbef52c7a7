import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDb } from './temp-db.js';
import { migrate } from './migrate.js';
import type { Migration } from './migration.js';

let db: Database.Database;
let dispose: () => void;

beforeEach(() => {
  ({ db, dispose } = openTempDb('csc-mig-', { foreignKeys: false }));
});
afterEach(() => dispose());

const recorded = () => db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all();
const tableExists = (name: string) =>
  db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) === 1;
const createTable = (id: number, table: string): Migration => ({
  id,
  name: `create-${table}`,
  up: (d) => d.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY)`),
});

describe('migrate', () => {
  it('applies in id order whatever the list order, and records each', () => {
    const order: number[] = [];
    const m = (id: number): Migration => ({ id, name: `m${id}`, up: () => void order.push(id) });
    expect(migrate(db, [m(3), m(1), m(2)])).toEqual([1, 2, 3]);
    expect(order).toEqual([1, 2, 3]);
    expect(recorded()).toEqual([
      { id: 1, name: 'm1' },
      { id: 2, name: 'm2' },
      { id: 3, name: 'm3' },
    ]);
  });

  it('is idempotent: a re-run applies nothing and runs no up()', () => {
    let runs = 0;
    const list: Migration[] = [{ id: 1, name: 'counted', up: (d) => (runs++, d.exec('CREATE TABLE t (x)')) }];
    expect(migrate(db, list)).toEqual([1]);
    expect(migrate(db, list)).toEqual([]);
    expect(runs).toBe(1);
    expect(recorded()).toHaveLength(1);
  });

  it('applies only the new ones when the list grows', () => {
    migrate(db, [createTable(1, 'a')]);
    expect(migrate(db, [createTable(1, 'a'), createTable(2, 'b')])).toEqual([2]);
    expect(tableExists('b')).toBe(true);
  });

  it('rolls a failing migration back, does not record it, and keeps the earlier ones', () => {
    const failing: Migration = {
      id: 2,
      name: 'half-done',
      up: (d) => {
        d.exec('CREATE TABLE partial (id INTEGER PRIMARY KEY)');
        d.exec('INSERT INTO partial VALUES (1)');
        throw new Error('boom in migration 2');
      },
    };
    expect(() => migrate(db, [createTable(1, 'first'), failing, createTable(3, 'third')])).toThrow(
      'boom in migration 2',
    );
    expect(tableExists('first')).toBe(true);
    expect(tableExists('partial')).toBe(false); // the DDL went with the transaction
    expect(tableExists('third')).toBe(false); // nothing after a failure runs
    expect(recorded()).toEqual([{ id: 1, name: 'create-first' }]);
    expect(db.inTransaction).toBe(false);

    // fixed and re-run: it applies now, and so does the one after it
    expect(migrate(db, [createTable(1, 'first'), createTable(2, 'partial'), createTable(3, 'third')])).toEqual([2, 3]);
  });

  it('refuses a duplicate id before applying anything', () => {
    let ran = false;
    const list: Migration[] = [
      { id: 1, name: 'one', up: () => void (ran = true) },
      { id: 7, name: 'seven', up: () => undefined },
      { id: 7, name: 'seven-again', up: () => undefined },
    ];
    expect(() => migrate(db, list)).toThrow('migration id 7 is used twice');
    expect(ran).toBe(false);
    expect(recorded()).toEqual([]);
  });
});
