import { stringify } from 'csv-stringify/sync';
import { neutraliseCsvCell } from '../../../contracts/csv-cell.js';
import { ENROLLMENT_LOG_CSV_COLUMNS, type EnrollmentLogEntry } from '../../../contracts/registrar.js';

/** The log as a CSV download: a header row, then one row per entry; every cell formula-safe. */
export function renderEnrollmentLogCsv(entries: readonly EnrollmentLogEntry[]): string {
  const rows = entries.map((e) =>
    ENROLLMENT_LOG_CSV_COLUMNS.map((k) => neutraliseCsvCell(e[k] === null ? '' : String(e[k]))),
  );
  return stringify([[...ENROLLMENT_LOG_CSV_COLUMNS], ...rows], { record_delimiter: '\r\n' });
}
