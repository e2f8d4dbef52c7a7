import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../contracts/auth.js';
import { migrate } from '../db/migrate.js';
import { openTempDb } from '../db/temp-db.js';
import { migrations } from '../migrations/index.js';
import { AuditRepo } from './audit-repo.js';

let db: Database.Database;
let dispose: () => void;
let heard: AuditEntry[];
let repo: AuditRepo;

beforeEach(() => {
  ({ db, dispose } = openTempDb('csc-audit-'));
  migrate(db, migrations);
  heard = [];
  repo = new AuditRepo(db, (e) => heard.push(e));
});
afterEach(() => dispose());

describe('AuditRepo', () => {
  it('is the one writer of audit_log: nothing else in the data service inserts into it', () => {
    const root = path.resolve('src-backend/services/data');
    const writers: string[] = [];
    const walk = (dir: string) => {
      for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, f.name);
        if (f.isDirectory()) walk(p);
        else if (
          p.endsWith('.ts') &&
          !p.endsWith('.test.ts') &&
          /INSERT\s+INTO\s+audit_log/i.test(fs.readFileSync(p, 'utf8'))
        )
          writers.push(path.relative(root, p));
      }
    };
    walk(root);
    expect(writers).toEqual(['identity/audit-repo.ts']);
  });

  it('tells its listener about each entry, with the actor name looked up from the id when not given', () => {
    db.prepare(
      "INSERT INTO users (username, name, role, password_hash, created_at) VALUES ('t.one', 'T', 'teacher', 'x', 0)",
    ).run();
    const id = repo.append({ actorId: 1, actor: null, action: 'course_created', target: 'CS1' });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ id, actorId: 1, actor: 't.one', action: 'course_created', target: 'CS1' });
  });

  it('filters by actor, action and target (a part, any case) and by time range, newest first', () => {
    repo.append({ actorId: null, actor: 'admin', action: 'user_created', target: 'alice' });
    repo.append({
      actorId: null,
      actor: null,
      action: 'login_failed',
      target: 'mallory',
      detail: 'INVALID_CREDENTIALS',
    });
    repo.append({ actorId: null, actor: 'Admin', action: 'process_restart', target: 'realtime' });
    const all = repo.list({ limit: 10 });
    expect(all.map((e) => e.action)).toEqual(['process_restart', 'login_failed', 'user_created']);
    expect(repo.list({ limit: 10, actor: 'adm' }).map((e) => e.action)).toEqual(['process_restart', 'user_created']);
    expect(repo.list({ limit: 10, action: 'LOGIN' }).map((e) => e.target)).toEqual(['mallory']);
    expect(repo.list({ limit: 10, target: 'real' }).map((e) => e.action)).toEqual(['process_restart']);
    // LIKE wildcards in the filter are taken literally.
    expect(repo.list({ limit: 10, action: '%' })).toEqual([]);
    const future = new Date(Date.now() + 60_000).toISOString();
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(repo.list({ limit: 10, since: future })).toEqual([]);
    expect(repo.list({ limit: 10, since: past, until: future })).toHaveLength(3);
    expect(repo.list({ limit: 10, until: past })).toEqual([]);
  });
});
