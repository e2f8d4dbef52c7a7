/** Caps that keep a wrong file from exhausting memory or the server; each gives a clear error. */
export interface CsvLimits {
  readonly maxBytes: number;
  readonly maxRows: number;
  /** one record, however many quoted lines it spans */
  readonly maxRecordBytes: number;
}

export const CSV_LIMITS: CsvLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: 50_000,
  maxRecordBytes: 64 * 1024,
};
