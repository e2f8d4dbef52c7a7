import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/browser/esm/sync';
import { rosterCsv } from './roster-csv';

describe('rosterCsv', () => {
  it('writes one row per student and neutralises every cell a spreadsheet would run', () => {
    const csv = rosterCsv({ code: 'CS101' }, [
      { id: 1, username: 'ann', name: 'Ann Lee', group: 'cs', enrolledAt: '2026-12-03T08:00:00Z' },
      { id: 2, username: 'bob', name: '=HYPERLINK("http://x","y")', group: '+cmd', enrolledAt: '2026-12-03T08:01:00Z' },
      { id: 3, username: 'cy', name: '@SUM(A1)', group: null, enrolledAt: '2026-12-03T08:02:00Z' },
    ]);
    expect(csv.startsWith('\ufeff')).toBe(true); // Excel reads UTF-8 names right
    const rows = parse(csv.slice(1)) as string[][];
    expect(rows[0]).toEqual(['course', 'username', 'name', 'group', 'enrolled at']);
    expect(rows[1]).toEqual(['CS101', 'ann', 'Ann Lee', 'cs', '2026-12-03T08:00:00Z']);
    expect(rows[2]!.slice(2, 4)).toEqual([`'=HYPERLINK("http://x","y")`, "'+cmd"]);
    expect(rows[3]!.slice(2, 4)).toEqual(["'@SUM(A1)", '']);
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });
});
