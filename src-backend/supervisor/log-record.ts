import { LOG_LEVELS, type LogLevel, type LogRecord } from '../contracts/supervisor.js';
import type { OutputLine } from './process-host.js';
import { redactFields, redactText } from '../shared/redact.js';

/** pino's own keys, shown elsewhere in the record or not at all */
const OWN_KEYS = new Set(['time', 'level', 'service', 'pid', 'hostname', 'msg', 'err', 'v']);
/** a line's fields in the Logs view and the backlog stay small */
const MAX_FIELDS_CHARS = 2000;

/** The structured fields of a pino line (courseId, userId, actor…), secrets censored; null when none. */
function structuredFields(j: Record<string, unknown>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(j)) {
    if (OWN_KEYS.has(k) || v === undefined) continue;
    out[k] = v;
    any = true;
  }
  if (!any) return null;
  const safe = redactFields(out) as Record<string, unknown>;
  return JSON.stringify(safe).length <= MAX_FIELDS_CHARS ? safe : { truncated: true };
}

const PINO_NUMERIC: Record<number, LogLevel> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * Turn one line of a child's output into a LogRecord. pino JSON keeps its fields; anything else
 * (a stray console.log, a native crash on stderr) is kept as text, as a warning when on stderr.
 */
export function parseLogLine(service: string, out: OutputLine, seq: number): LogRecord {
  const line = out.line.length > 8192 ? `${out.line.slice(0, 8192)}…` : out.line;
  if (line.startsWith('{')) {
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const level =
        typeof j.level === 'number'
          ? (PINO_NUMERIC[j.level] ?? 'info')
          : LOG_LEVELS.includes(j.level as LogLevel)
            ? (j.level as LogLevel)
            : 'info';
      let msg = typeof j.msg === 'string' ? j.msg : '';
      const err = j.err as { message?: string } | undefined;
      if (err?.message) msg = msg ? `${msg}: ${err.message}` : err.message;
      msg = redactText(msg);
      const fields = structuredFields(j);
      const record: LogRecord = {
        seq,
        time:
          typeof j.time === 'string'
            ? j.time
            : new Date(typeof j.time === 'number' ? j.time : Date.now()).toISOString(),
        level,
        service: typeof j.service === 'string' ? j.service : service,
        msg,
      };
      // added after, not spread in first: new keys after a spread cost V8 (Node 20) µs per line
      if (fields) record.fields = fields;
      return record;
    } catch {
      // not JSON after all: fall through
    }
  }
  return {
    seq,
    time: new Date().toISOString(),
    level: out.stream === 'stderr' ? 'warn' : 'info',
    service,
    msg: redactText(line),
  };
}
