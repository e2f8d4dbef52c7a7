/**
 * Spreadsheets run a cell that starts with = + - @ as a formula, also after a tab, a line break
 * or spaces (which some strip first), and some read the full-width ＝ ＋ － ＠ the same way. A
 * leading apostrophe makes the cell text (OWASP's CSV injection advice). Every CSV we write
 * (the CLI's and the console's import results) goes through this one rule.
 */
const FORMULA_START = /^[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

export function neutraliseCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
