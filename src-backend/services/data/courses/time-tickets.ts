import type { Database, Statement } from 'better-sqlite3';
import type { SetTimeTicketsRequest, StudentWindow, TimeTicketsResponse } from '../../../contracts/registrar.js';
import { badRequest } from '../../../shared/app-error.js';
import { isWindowOpen, type SelectionSettings } from './selection-settings.js';

/** One student's window: their group's ticket, or the global window. */
export interface WindowOf {
  readonly source: 'ticket' | 'global';
  readonly opensAt: string | null;
  readonly closesAt: string | null;
  readonly open: boolean;
}

interface TicketRow {
  group_name: string;
  opens_at: number;
  closes_at: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Time tickets: a selection window per student group. A student whose group has a ticket uses
 * it; everyone else (and a student without a group) uses the global window.
 */
export class TimeTickets {
  private readonly all: Statement<[], TicketRow>;

  constructor(
    private readonly db: Database,
    private readonly settings: SelectionSettings,
  ) {
    this.all = db.prepare('SELECT group_name, opens_at, closes_at FROM time_tickets ORDER BY opens_at, group_name');
  }

  /** Every ticket by group, read once per queue batch (a handful of rows). */
  byGroup(): Map<string, TicketRow> {
    return new Map(this.all.all().map((r) => [r.group_name, r]));
  }

  /** The window for `group` given the tickets and the global settings row at `nowMs`. */
  static windowOf(
    tickets: ReadonlyMap<string, TicketRow>,
    global: { opens_at: string | null; closes_at: string | null },
    group: string | null,
    nowMs: number,
  ): WindowOf {
    const t = group === null ? undefined : tickets.get(group);
    if (!t) {
      return {
        source: 'global',
        opensAt: global.opens_at,
        closesAt: global.closes_at,
        open: isWindowOpen(global, nowMs),
      };
    }
    const open = nowMs >= t.opens_at && (t.closes_at === null || nowMs < t.closes_at);
    return { source: 'ticket', opensAt: iso(t.opens_at), closesAt: iso(t.closes_at), open };
  }

  studentWindow(group: string | null, nowMs = Date.now()): StudentWindow {
    const w = TimeTickets.windowOf(this.byGroup(), this.settings.row(), group, nowMs);
    return { group, ...w, now: new Date(nowMs).toISOString() };
  }

  list(): TimeTicketsResponse {
    const groups = this.db
      .prepare(
        `SELECT user_group AS "group", count(*) AS students FROM users
         WHERE role = 'student' AND user_group IS NOT NULL GROUP BY user_group ORDER BY user_group`,
      )
      .all() as TimeTicketsResponse['groups'];
    return {
      tickets: this.all
        .all()
        .map((r) => ({ group: r.group_name, opensAt: iso(r.opens_at)!, closesAt: iso(r.closes_at) })),
      groups,
    };
  }

  /** Replace every ticket (the caller's transaction). */
  replace(req: SetTimeTicketsRequest): void {
    const seen = new Set<string>();
    const rows = req.tickets.map((t) => {
      const group = t.group.trim();
      if (seen.has(group)) throw badRequest(`group ${group} has two tickets`, 'DUPLICATE_TICKET');
      seen.add(group);
      const opensAt = Date.parse(t.opensAt);
      const closesAt = t.closesAt ? Date.parse(t.closesAt) : null;
      if (Number.isNaN(opensAt) || (closesAt !== null && Number.isNaN(closesAt)))
        throw badRequest(`group ${group}: not a date-time`, 'INVALID_TIME');
      if (closesAt !== null && closesAt <= opensAt)
        throw badRequest(`group ${group}: closesAt must be after opensAt`, 'INVALID_WINDOW');
      return [group, opensAt, closesAt] as const;
    });
    this.db.prepare('DELETE FROM time_tickets').run();
    const insert = this.db.prepare('INSERT INTO time_tickets (group_name, opens_at, closes_at) VALUES (?, ?, ?)');
    for (const r of rows) insert.run(...r);
  }
}
