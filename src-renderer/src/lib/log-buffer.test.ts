import { describe, expect, it } from 'vitest';
import {
  appendCapped,
  compileFilter,
  formatFields,
  formatLogFile,
  lowerBoundById,
  normaliseLevel,
  type LogLine,
} from './log-buffer';

const line = (id: number, over: Partial<LogLine> = {}): LogLine => ({
  id,
  seq: id,
  time: '2026-01-01T10:00:00.000Z',
  level: 'info',
  service: 'auth_node',
  text: `line ${id}`,
  fields: '',
  ...over,
});

describe('log buffer helpers', () => {
  it('keeps only the newest entries when appending past the cap', () => {
    expect(appendCapped([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    expect(appendCapped([1, 2], [3, 4, 5, 6, 7], 3)).toEqual([5, 6, 7]);
    expect(appendCapped([1], [2], 5)).toEqual([1, 2]);
  });

  it('filters by service, minimum level and case-insensitive text', () => {
    const lines = [
      line(1, { level: 'debug', text: 'cache warm' }),
      line(2, { level: 'warn', service: 'data_node', text: 'Slow query' }),
      line(3, { level: 'error', text: 'login FAILED' }),
    ];
    expect(lines.filter(compileFilter({ services: [], minLevel: 'warn', search: '' })).map((l) => l.id)).toEqual([
      2, 3,
    ]);
    expect(lines.filter(compileFilter({ services: ['data_node'], minLevel: '', search: '' })).map((l) => l.id)).toEqual(
      [2],
    );
    expect(lines.filter(compileFilter({ services: [], minLevel: '', search: 'failed' })).map((l) => l.id)).toEqual([3]);
    expect(lines.filter(compileFilter({ services: [], minLevel: '', search: 'DATA_' })).map((l) => l.id)).toEqual([2]);
  });

  it('normalises upper-case (older clients) and unknown levels', () => {
    expect(normaliseLevel('INFO')).toBe('info');
    expect(normaliseLevel('WARNING')).toBe('warn');
    expect(normaliseLevel('critical')).toBe('fatal');
    expect(normaliseLevel(undefined)).toBe('info');
  });

  it('binary-searches the first line at or after an id', () => {
    const lines = [line(2), line(5), line(9)];
    expect(lowerBoundById(lines, 1)).toBe(0);
    expect(lowerBoundById(lines, 5)).toBe(1);
    expect(lowerBoundById(lines, 6)).toBe(2);
    expect(lowerBoundById(lines, 10)).toBe(3);
  });

  it('formats a download with one line per record', () => {
    const text = formatLogFile([line(1, { level: 'warn', text: 'careful' })]);
    expect(text).toBe('2026-01-01T10:00:00.000Z WARN  [auth_node] careful\n');
  });
});

describe('structured fields', () => {
  it('are shown as key=value, searchable and kept in the download', () => {
    const fields = formatFields({ courseId: 12, actor: 'admin', note: 'two words', ok: true });
    expect(fields).toBe('courseId=12 actor=admin note="two words" ok=true');
    const l = line(1, { text: 'course created', fields });
    expect(compileFilter({ services: [], minLevel: '', search: 'actor=admin' })(l)).toBe(true);
    expect(formatLogFile([l])).toContain('course created courseId=12 actor=admin');
    expect(formatFields(undefined)).toBe('');
  });
});
