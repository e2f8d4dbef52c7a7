import { LOG_LEVELS, type LogLevel } from '@contracts/supervisor';

/** One line as the Logs view shows it. `id` is local and strictly increasing in arrival order. */
export interface LogLine {
  readonly id: number;
  readonly seq: number;
  readonly time: string;
  readonly level: LogLevel;
  readonly service: string;
  readonly text: string;
  /** the line's structured fields as `key=value …`, '' when none */
  readonly fields: string;
}

/** `courseId=12 actor=admin`: strings bare unless they hold a space, everything else as JSON. */
export function formatFields(fields: unknown): string {
  if (!fields || typeof fields !== 'object') return '';
  return Object.entries(fields as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
}

export interface LogFilter {
  /** empty = every service */
  readonly services: readonly string[];
  /** show this level and above; '' = all */
  readonly minLevel: LogLevel | '';
  readonly search: string;
}

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

export function normaliseLevel(level: unknown): LogLevel {
  const l = String(level ?? '').toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(l)) return l as LogLevel;
  if (l === 'warning') return 'warn';
  if (l === 'critical') return 'fatal';
  return 'info';
}

/** A predicate for a filter, built once per filter change rather than once per line. */
export function compileFilter(f: LogFilter): (line: LogLine) => boolean {
  const services = f.services.length ? new Set(f.services) : null;
  const min = f.minLevel ? LEVEL_RANK[f.minLevel] : -1;
  const needle = f.search.trim().toLowerCase();
  return (line) =>
    (services === null || services.has(line.service)) &&
    LEVEL_RANK[line.level] >= min &&
    (needle === '' ||
      line.text.toLowerCase().includes(needle) ||
      line.service.toLowerCase().includes(needle) ||
      line.fields.toLowerCase().includes(needle));
}

/** First index in `lines` (ordered by id) whose id is >= `id`. */
export function lowerBoundById(lines: readonly LogLine[], id: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Append and keep only the newest `cap` entries, in one allocation. */
export function appendCapped<T>(existing: readonly T[], added: readonly T[], cap: number): T[] {
  const total = existing.length + added.length;
  if (total <= cap) return existing.concat(added);
  const drop = total - cap;
  if (drop >= existing.length) return added.slice(added.length - cap);
  return existing.slice(drop).concat(added);
}

/** The text of a log download: one line per record, oldest first. */
export function formatLogFile(lines: readonly LogLine[]): string {
  return (
    lines
      .map(
        (l) => `${l.time} ${l.level.toUpperCase().padEnd(5)} [${l.service}] ${l.text}${l.fields ? ` ${l.fields}` : ''}`,
      )
      .join('\n') + '\n'
  );
}
