import type { Database } from 'better-sqlite3';
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

/** Who did what and when. Append-only: nothing here updates or deletes. */
export class AuditRepo {
  constructor(private readonly db: Database) {}

  append(entry: DataAuditRequest): number {
    const info = this.db
      .prepare('INSERT INTO audit_log (at, actor_id, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(Date.now(), entry.actorId, entry.actor, entry.action, entry.target ?? null, entry.detail ?? null);
    return Number(info.lastInsertRowid);
  }

  list(q: AuditQuery): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(q.beforeId ?? Number.MAX_SAFE_INTEGER, q.limit) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      at: iso(r.at),
      actorId: r.actor_id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      detail: r.detail,
    }));
  }
}
