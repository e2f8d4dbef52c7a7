import { LOG_LEVELS, type LogLevel, type LogRecord } from '../contracts/supervisor.js';
import type { OutputLine } from './process-host.js';
import { redactText } from '../shared/redact.js';

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
      return {
        seq,
        time:
          typeof j.time === 'string'
            ? j.time
            : new Date(typeof j.time === 'number' ? j.time : Date.now()).toISOString(),
        level,
        service: typeof j.service === 'string' ? j.service : service,
        msg,
      };
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
