import { describe, expect, it } from 'vitest';
import { previewCourseCsv } from './course-csv-preview';

describe('previewCourseCsv (the console import dialog)', () => {
  it('checks rows with the CLI rules, CRLF and BOM included, each problem at its field line', () => {
    const p = previewCourseCsv(
      '\ufeffcode,name,description,capacity,credits,slots\r\n' +
        'OK1,Fine,,10,3,Mon 09:00-10:30; Wed 09:00-10:30\r\n' +
        'BAD1,Multi,"one\r\ntwo",10,3,Mon 9-10\r\n',
    );
    expect(p.fileError).toBeNull();
    expect([p.validCount, p.invalidCount]).toEqual([1, 1]);
    expect(p.rows[1]!.problems).toEqual([{ line: 4, message: 'slot "Mon 9-10" is not like "Mon 09:00-10:30"' }]);
  });

  it('names the line of an unclosed quote, and refuses a file without the needed columns', () => {
    expect(previewCourseCsv('code,name,capacity,credits,slots\nA,"open,1,1,\nB,x,1,1,\n').fileError).toMatch(
      /^The file is not valid CSV \(the field at line 2\)/,
    );
    expect(previewCourseCsv('code,name\nA,B\n').fileError).toBe(
      'The file cannot be imported: the header row lacks capacity, credits, slots.',
    );
  });
});
