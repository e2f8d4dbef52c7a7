import { CsvError, parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvErrorLine } from './csv-error-line.js';

/** The line csvErrorLine gives for the error csv-parse really throws on `text`. */
function lineOfError(text: string): { code: string; line: number | null; parserSaid: number } {
  try {
    parse(text, { raw: true, relax_column_count: true, skip_empty_lines: true });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const e = err as CsvError & { lines: number };
    return { code: e.code, line: csvErrorLine(text, e), parserSaid: e.lines };
  }
  throw new Error('parsed without an error');
}

describe('csvErrorLine: the line where the bad field starts', () => {
  it.each([
    ['a quote never closed, with more lines after it', 'a,b\n1,2\n3,"x\n4,5\n6,7\n', 'CSV_QUOTE_NOT_CLOSED', 3],
    ['a quote never closed, no newline at the end', 'a,b\n1,2\n3,"x\n4,5\n6,7', 'CSV_QUOTE_NOT_CLOSED', 3],
    ['a quote never closed in the first field', 'a,b\n1,2\n"x,3\n4,5\n', 'CSV_QUOTE_NOT_CLOSED', 3],
    ['after a multi-line field in the same record', 'a,b,c\n"x\ny",ok,"open\nmore\nrest\n', 'CSV_QUOTE_NOT_CLOSED', 3],
    ['after empty lines', 'a,b\n1,2\n\n\n3,"x\n4,5\n', 'CSV_QUOTE_NOT_CLOSED', 5],
    [
      'text after the closing quote of a multi-line field',
      'a,b\n1,"multi\nline"z\n2,3\n',
      'CSV_INVALID_CLOSING_QUOTE',
      2,
    ],
    ['a quote inside an unquoted field', 'a,b\n1,"2\n2"\n3,x"y\n', 'INVALID_OPENING_QUOTE', 4],
  ])('%s', (_name, text, code, line) => {
    const got = lineOfError(text);
    expect(got.code).toBe(code);
    expect(got.line).toBe(line);
  });

  it('is needed: csv-parse itself names the end of the file for a quote never closed', () => {
    expect(lineOfError('a,b\n1,2\n3,"x\n4,5\n6,7\n8,9\n').parserSaid).toBeGreaterThan(3);
  });

  it('falls back to the parser’s line without the raw text, and to null without a line', () => {
    expect(csvErrorLine('x', { lines: 7 })).toBe(7);
    expect(csvErrorLine('x', {})).toBeNull();
  });
});
