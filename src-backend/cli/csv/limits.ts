/** Caps that keep a wrong file from exhausting memory or the server; each gives a clear error. */
export const CSV_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: 50_000,
  /** one record, however many quoted lines it spans */
  maxRecordBytes: 64 * 1024,
} as const;
