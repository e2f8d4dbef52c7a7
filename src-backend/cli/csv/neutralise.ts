/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return, which some
 * strip first) as a formula. A leading apostrophe makes it text (OWASP's CSV injection advice).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
