import { describe, expect, it } from 'vitest';
import { chunkRows } from './import-users.js';
import type { CsvUserRow } from './user-rows.js';

const row = (line: number, password?: string): CsvUserRow => ({
  line,
  username: `u${line}`,
  name: 'N',
  email: 'n@example.com',
  ...(password ? { password } : {}),
});

describe('chunkRows', () => {
  it('cuts by row count when passwords are generated', () => {
    const rows = Array.from({ length: 2500 }, (_, i) => row(i + 2));
    expect(chunkRows(rows, 1000, 100).map((c) => c.length)).toEqual([1000, 1000, 500]);
  });

  it('cuts by hashing cost when passwords are given, keeping file order', () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(i + 2, i % 2 === 0 ? 'given-pass' : undefined));
    const chunks = chunkRows(rows, 1000, 50);
    expect(chunks.map((c) => c.filter((r) => r.password).length)).toEqual([50, 50, 25]);
    expect(chunks.flat().map((r) => r.line)).toEqual(rows.map((r) => r.line));
  });

  it('returns nothing for no rows', () => {
    expect(chunkRows([], 1000, 100)).toEqual([]);
  });
});
