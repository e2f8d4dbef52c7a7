import type { Database, Statement } from 'better-sqlite3';
import type { AuditEntry, AuditQuery } from '../../../contracts/auth.js';
import type { DataAuditRequest } from '../../../contracts/routes/data-identity.js';
import { iso } from './user-row.js';

interface AuditRow {
  id: number;
  at: number;
  actor_id: number | null;
  actor: string | null;
  action: string;
  target: string | null;
  detail: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: iso(r.at),
  actorId: r.actor_id,
  actor: r.actor,
  action: r.action,
  target: r.target,
  detail: r.detail,
});

/**
 * Who did what and when: the one writer of `audit_log` (identity and course changes alike).
 * Append-only: nothing here updates or deletes. `onAppend` hears every new entry, for the
 * console's live Audit view.
 */
export class AuditRepo {
  private readonly insert: Statement<
    [number, number | null, string | null, number | null, string, string | null, string | null]
  >;
  private readonly byId: Statement<[number]>;

  constructor(
    private readonly db: Database,
    private readonly onAppend?: (entry: AuditEntry) => void,
  ) {
    // Without a name given, the actor's username is read in the same statement (course changes
    // carry only the acting user's id).
    this.insert = db.prepare(
      `INSERT INTO audit_log (at, actor_id, actor, action, target, detail)
       VALUES (?, ?, COALESCE(?, (SELECT username FROM users WHERE id = ?)), ?, ?, ?)`,
    );
    this.byId = db.prepare('SELECT * FROM audit_log WHERE id = ?');
  }

  append(entry: DataAuditRequest): number {
    const info = this.insert.run(
      Date.now(),
      entry.actorId,
      entry.actor,
      entry.actorId,
      entry.action,
      entry.target ?? null,
      entry.detail ?? null,
    );
    const id = Number(info.lastInsertRowid);
    if (this.onAppend) this.onAppend(toEntry(this.byId.get(id) as AuditRow));
    return id;
  }

  /** Newest first, filtered by actor, action, target (substring, case-insensitive) and time range. */
  list(q: AuditQuery): AuditEntry[] {
    const where: string[] = ['id < ?'];
    const args: (string | number)[] = [q.beforeId ?? Number.MAX_SAFE_INTEGER];
    const like = (col: string, v: string | undefined) => {
      if (!v) return;
      where.push(`${col} LIKE ? ESCAPE '\\' COLLATE NOCASE`);
      args.push(`%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    };
    like('actor', q.actor);
    like('action', q.action);
    like('target', q.target);
    if (q.since) {
      where.push('at >= ?');
      args.push(Date.parse(q.since));
    }
    if (q.until) {
      where.push('at <= ?');
      args.push(Date.parse(q.until));
    }
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
      .all(...args, q.limit) as AuditRow[];
    return rows.map(toEntry);
  }
}
