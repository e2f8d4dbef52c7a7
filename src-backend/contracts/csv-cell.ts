/**
 * Spreadsheets run a cell that starts with = + - @ as a formula, also after a tab, a line break
 * or spaces (which some strip first), and some read the full-width ＝ ＋ － ＠ the same way. A
 * leading apostrophe makes the cell text (OWASP's CSV injection advice). Every CSV we write
 * (the CLI's files, the console's import results and exports) goes through this one rule.
 */
const FORMULA_START = /^[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

export function neutraliseCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field: formula-safe, quoted when it holds a quote, comma or line break (RFC 4180). */
export function csvField(value: string | number | null | undefined): string {
  const s = neutraliseCsvCell(value === null || value === undefined ? '' : String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV text, CRLF line ends, header first. */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
