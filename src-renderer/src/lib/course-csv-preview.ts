import { parse } from 'csv-parse/browser/esm/sync';
import { csvErrorLine, type CsvErrorPosition } from '@contracts/csv-error-line';
import { checkCourseRecords, type CheckedCourseRow, type CsvRecordInfo } from '@contracts/course-csv';
import { CSV_MAX_BYTES } from './csv-import';

export interface CourseCsvPreview {
  readonly rows: readonly CheckedCourseRow[];
  /** the file as a whole cannot be imported: why */
  readonly fileError: string | null;
  readonly validCount: number;
  readonly invalidCount: number;
}

/**
 * A courses CSV checked in the console before anything is sent, by the same rules course-cli
 * uses (contracts/course-csv.ts): each problem names the line its field starts on.
 */
export function previewCourseCsv(text: string): CourseCsvPreview {
  const none = (fileError: string): CourseCsvPreview => ({ rows: [], fileError, validCount: 0, invalidCount: 0 });
  if (new Blob([text]).size > CSV_MAX_BYTES) return none(`The file is larger than ${CSV_MAX_BYTES / 1024 / 1024} MB.`);
  // csv-parse miscounts lines inside quoted fields that hold CRLF, so it gets LF only.
  const lf = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  let records: CsvRecordInfo[];
  try {
    records = parse(lf, {
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecordInfo[];
  } catch (err) {
    const line = csvErrorLine(lf, err as CsvErrorPosition);
    return none(`The file is not valid CSV${line ? ` (the field at line ${line})` : ''}: ${(err as Error).message}`);
  }
  const checked = checkCourseRecords(records);
  if (!checked.ok) return none(`The file cannot be imported: ${checked.fileError}.`);
  const invalidCount = checked.rows.filter((r) => r.course === null).length;
  return { rows: checked.rows, fileError: null, validCount: checked.rows.length - invalidCount, invalidCount };
}
