import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { checkCourseRecords, type CsvRecordInfo } from './course-csv.js';

/** What course-cli and the console hand the checker: csv-parse with info and raw, LF only. */
const records = (text: string) =>
  parse(text, {
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as unknown as CsvRecordInfo[];
const problemsOf = (text: string) => {
  const r = checkCourseRecords(records(text));
  if (!r.ok) throw new Error(r.fileError);
  return r.rows.flatMap((row) => row.problems.map((p) => `line ${p.line} (${row.code}): ${p.message}`));
};

describe('checkCourseRecords', () => {
  it('turns good rows into import rows: slots, groups, optional teacher', () => {
    const r = checkCourseRecords(
      records(
        'Code,Name,Capacity,Credits,Slots,Location,Allowed_Groups,Teacher\n' +
          'CS101,Intro,30,3,Mon 09:00-10:30; Wed 09:00-10:30,B12,cs-2024; math-2024,teach1\n' +
          'CS102,"Data, Structures",0,0,,,,\n',
      ),
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          code: 'CS101',
          problems: [],
          course: {
            code: 'CS101',
            name: 'Intro',
            capacity: 30,
            credits: 3,
            slots: [
              { day: 1, start: '09:00', end: '10:30' },
              { day: 3, start: '09:00', end: '10:30' },
            ],
            location: 'B12',
            allowedGroups: ['cs-2024', 'math-2024'],
            teacher: 'teach1',
          },
        },
        {
          line: 3,
          code: 'CS102',
          problems: [],
          course: { code: 'CS102', name: 'Data, Structures', capacity: 0, credits: 0, slots: [] },
        },
      ],
    });
  });

  it('names the line where the bad field starts, past a description that spans lines', () => {
    const text =
      'code,name,description,capacity,credits,slots\n' + // 1
      'OK1,Fine,,10,3,Tue 10:00-11:00\n' + // 2
      'BAD1,Multi,"first line\n' + // 3: the record starts here
      'second line\n' + // 4
      'third line",ten,3,Mon 9-10\n' + // 5: capacity and slots start on line 5
      'BAD2,"Split\n' + // 6
      'name",,5,31,Fri 08:00-09:00\n' + // 7: credits on line 7
      'bad code!,X,,5,3,\n' + // 8
      'OK1,Again,,5,3,\n' + // 9: repeats line 2
      'SHORT,Few\n'; // 10
    expect(problemsOf(text)).toEqual([
      'line 5 (BAD1): capacity "ten" is not a whole number 0-100000',
      'line 5 (BAD1): slot "Mon 9-10" is not like "Mon 09:00-10:30"',
      'line 7 (BAD2): credits "31" is not a whole number 0-30',
      'line 8 (bad code!): code "bad code!" is not valid (1-32 letters, digits, _ . -)',
      'line 9 (OK1): code OK1 already appears on line 2',
      'line 10 (SHORT): has 2 fields, the header has 6',
    ]);
  });

  it('a blank line before a record does not shift its line', () => {
    expect(problemsOf('code,name,capacity,credits,slots\n\n\nX1,N,-1,3,\n')).toEqual([
      'line 4 (X1): capacity "-1" is not a whole number 0-100000',
    ]);
  });

  it('refuses the file as a whole for a bad header, or no rows', () => {
    const fileError = (text: string) => {
      const r = checkCourseRecords(records(text));
      return r.ok ? null : r.fileError;
    };
    expect(fileError('code,name,capacity,credits\nA,B,1,1\n')).toBe('the header row lacks slots');
    expect(fileError('code,name,capacity,credits,slots,room\n')).toMatch(/^unknown column "room" in the header/);
    expect(fileError('code,name,capacity,credits,slots,code\n')).toBe('column code appears twice in the header');
    expect(fileError('code,name,capacity,credits,slots\n')).toBe('the file has a header but no rows');
    expect(fileError('')).toMatch(/^the file is empty/);
  });

  it('refuses a name or description with control characters and a bad teacher username', () => {
    expect(
      problemsOf('code,name,capacity,credits,slots,description,teacher\nC1,"a\u001b[2Jb",1,1,,"x\u0007",t!\n'),
    ).toEqual([
      'line 2 (C1): name must be up to 200 characters, with no control or text-direction characters',
      'line 2 (C1): description must be up to 4000 characters, with no control characters but line breaks',
      'line 2 (C1): teacher "t!" is not a valid username',
    ]);
  });
});
