import type { Database, Statement } from 'better-sqlite3';
import type {
  CreditLimitResponse,
  SelectionWindow,
  SetCreditLimitRequest,
  SetSelectionWindowRequest,
} from '../../../contracts/courses.js';
import { badRequest, notFound } from '../../../shared/app-error.js';
import { isWindowOpenAt } from '../../../contracts/selection-window.js';

interface SettingsRow {
  opens_at: string | null;
  closes_at: string | null;
  default_credit_limit: number;
}

export function isWindowOpen(row: Pick<SettingsRow, 'opens_at' | 'closes_at'>, nowMs: number): boolean {
  return isWindowOpenAt(row.opens_at, row.closes_at, nowMs);
}

function parseTime(value: string | null, field: string): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${field} is not a date-time`, 'INVALID_TIME');
  return new Date(ms).toISOString();
}

/** The selection window (one row) and per-student credit limits. */
export class SelectionSettings {
  private readonly getRow: Statement<[], SettingsRow>;
  private readonly limitOf: Statement<[number], { credit_limit: number }>;

  constructor(private readonly db: Database) {
    this.getRow = db.prepare('SELECT opens_at, closes_at, default_credit_limit FROM selection_settings WHERE id = 1');
    this.limitOf = db.prepare('SELECT credit_limit FROM student_credit_limits WHERE student_id = ?');
  }

  row(): SettingsRow {
    return this.getRow.get()!;
  }

  window(nowMs = Date.now()): SelectionWindow {
    const r = this.row();
    return {
      opensAt: r.opens_at,
      closesAt: r.closes_at,
      open: isWindowOpen(r, nowMs),
      defaultCreditLimit: r.default_credit_limit,
      now: new Date(nowMs).toISOString(),
    };
  }

  setWindow(req: SetSelectionWindowRequest): SelectionWindow {
    const opensAt = parseTime(req.opensAt, 'opensAt');
    const closesAt = parseTime(req.closesAt, 'closesAt');
    if (opensAt && closesAt && Date.parse(closesAt) <= Date.parse(opensAt)) {
      throw badRequest('closesAt must be after opensAt', 'INVALID_WINDOW');
    }
    this.db
      .prepare(
        'UPDATE selection_settings SET opens_at = ?, closes_at = ?, default_credit_limit = COALESCE(?, default_credit_limit) WHERE id = 1',
      )
      .run(opensAt, closesAt, req.defaultCreditLimit ?? null);
    return this.window();
  }

  /** Open from now on, until closed. */
  openNow(): SelectionWindow {
    const now = new Date().toISOString();
    this.db.prepare('UPDATE selection_settings SET opens_at = ?, closes_at = NULL WHERE id = 1').run(now);
    return this.window();
  }

  /** Close now; a window that never opened stays unscheduled. */
  closeNow(): SelectionWindow {
    const r = this.row();
    const now = new Date().toISOString();
    if (r.opens_at === null || Date.parse(r.opens_at) > Date.now()) {
      this.db.prepare('UPDATE selection_settings SET opens_at = NULL, closes_at = NULL WHERE id = 1').run();
    } else {
      this.db.prepare('UPDATE selection_settings SET closes_at = ? WHERE id = 1').run(now);
    }
    return this.window();
  }

  creditLimit(studentId: number, defaultLimit = this.row().default_credit_limit): number {
    return this.limitOf.get(studentId)?.credit_limit ?? defaultLimit;
  }

  setCreditLimit(req: SetCreditLimitRequest): CreditLimitResponse {
    const student = this.db.prepare(`SELECT role FROM users WHERE id = ?`).get(req.studentId) as
      { role: string } | undefined;
    if (!student || student.role !== 'student')
      throw notFound(`no student with id ${req.studentId}`, 'STUDENT_NOT_FOUND');
    if (req.creditLimit === null) {
      this.db.prepare('DELETE FROM student_credit_limits WHERE student_id = ?').run(req.studentId);
    } else {
      this.db
        .prepare(
          'INSERT INTO student_credit_limits (student_id, credit_limit) VALUES (?, ?) ON CONFLICT(student_id) DO UPDATE SET credit_limit = excluded.credit_limit',
        )
        .run(req.studentId, req.creditLimit);
    }
    return {
      studentId: req.studentId,
      creditLimit: this.creditLimit(req.studentId),
      isDefault: req.creditLimit === null,
    };
  }
}
