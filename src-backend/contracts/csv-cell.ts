/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return, which some
 * strip first) as a formula. A leading apostrophe makes it text (OWASP's CSV injection advice).
 * Shared by the CLI's CSV files and the console's exports.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field: formula-safe, quoted when it holds a quote, comma or line break (RFC 4180). */
export function csvField(value: string | number | null | undefined): string {
  const s = neutraliseCell(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV text, CRLF line ends, header first. */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
