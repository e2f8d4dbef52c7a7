import { describe, expect, it } from 'vitest';
import { RESULT_COLUMNS, neutralise, previewCsv, resultsCsv } from './csv-import';

describe('previewCsv', () => {
  it('reads a BOM, CRLF and quoted fields with commas, quotes and newlines', () => {
    const text =
      '\uFEFFusername,name,email,group\r\n' +
      'alice,"Johnson, Alice",alice@example.com,cs-2024\r\n' +
      'bob,"Bob ""The Builder""\nSmith",bob@example.com,cs-2024\r\n';
    const p = previewCsv(text, 'student');
    expect(p.fileErrors).toEqual([]);
    expect(p.rows.map((r) => r.row.name)).toEqual(['Johnson, Alice', 'Bob "The Builder" Smith']);
    expect(p.validCount).toBe(2);
    expect(p.rows[0]!.row).toEqual({
      role: 'student',
      username: 'alice',
      name: 'Johnson, Alice',
      email: 'alice@example.com',
      group: 'cs-2024',
    });
  });

  it('reports each bad row with its line number and reason, and keeps the good ones', () => {
    const text = [
      'username,name,email,group',
      'ok1,One,one@example.com,g1',
      'x,Too Short,bad-email,g1',
      'ok1,Dup,dup@example.com,g1',
      'nogroup,No Group,n@example.com,',
    ].join('\n');
    const p = previewCsv(text, 'student');
    expect(p.validCount).toBe(1);
    expect(p.invalidCount).toBe(3);
    const bad = p.rows.filter((r) => r.errors.length);
    expect(bad.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(bad[0]!.errors.join(' ')).toMatch(/username "x" is not valid/);
    expect(bad[0]!.errors.join(' ')).toMatch(/email "bad-email" is not valid/);
    expect(bad[1]!.errors.join(' ')).toMatch(/repeats line 2/);
    expect(bad[2]!.errors.join(' ')).toMatch(/students need a group/);
  });

  it('refuses a file without the required columns, an empty file and malformed CSV', () => {
    expect(previewCsv('foo,bar\n1,2\n', 'teacher').fileErrors[0]).toMatch(/username/);
    expect(previewCsv('', 'teacher').fileErrors[0]).toMatch(/empty/);
    expect(previewCsv('username,name\n"unterminated,x\n', 'teacher').fileErrors[0]).toMatch(/not valid CSV/);
  });

  it('names the line where the bad field starts, not where the parser gave up', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `user${i},Name ${i}`);
    const text = ['username,name', 'alice,"Alice', 'Smith"', 'bob,"Bob', ...rows].join('\r\n');
    expect(previewCsv(text, 'teacher').fileErrors[0]).toMatch(/^The file is not valid CSV \(the field at line 4\): /);
  });

  it('does not require a group for teachers and flags a role column that disagrees', () => {
    const p = previewCsv('username,name,role\nteach1,T One,teacher\nstud1,S One,student\n', 'teacher');
    expect(p.rows[0]!.errors).toEqual([]);
    expect(p.rows[1]!.errors[0]).toMatch(/role is "student"/);
  });
});

describe('resultsCsv', () => {
  const sentRow = (line: number, username: string) => ({
    line,
    row: { role: 'student' as const, username, name: username },
    errors: [],
  });

  it("has the CLI's columns and status words, rows in file order, formula cells neutralised", () => {
    expect(neutralise('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(neutralise('+1')).toBe("'+1");
    expect(neutralise('alice')).toBe('alice');
    // the CLI's rule: full-width signs, and signs after a line break or spaces, are formulas too
    for (const v of ['＝1+1', '＋1', '\n=1', ' @cmd']) expect(neutralise(v)).toBe(`'${v}`);
    const csv = resultsCsv(
      [
        {
          row: 0,
          username: 'alice',
          ok: true,
          id: 1,
          initialPassword: '-secret',
          totpSecret: 'ABC',
          otpauthUri: 'otpauth://totp/x',
        },
        { row: 1, username: 'bob', ok: false, error: { code: 'USERNAME_TAKEN', message: 'username is taken' } },
      ],
      [sentRow(2, 'alice'), sentRow(5, 'bob')],
      [{ line: 4, row: { role: 'student', username: '@evil', name: 'E' }, errors: ['bad', 'worse'] }],
    );
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(RESULT_COLUMNS.join(','));
    expect(lines[0]).toBe('username,generated password,2FA secret,otpauth URI,status');
    expect(lines[1]).toBe("alice,'-secret,ABC,otpauth://totp/x,created");
    expect(lines[2]).toBe("'@evil,,,,skipped: bad; worse");
    expect(lines[3]).toBe('bob,,,,failed: username is taken');
    expect(lines).toHaveLength(4);
  });
});
