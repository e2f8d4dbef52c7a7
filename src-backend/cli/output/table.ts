import Table from 'cli-table3';
import { escapeControls } from './escape.js';

/** A unicode box table (cli-table3's default characters); no colour codes in the borders. */
export function renderTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  // Numbers read best right-aligned (an ID column); a column is numeric if every cell is.
  const colAligns = head.map((_, i) =>
    rows.length > 0 && rows.every((r) => typeof r[i] === 'number') ? 'right' : 'left',
  );
  const table = new Table({ head: [...head], colAligns, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((c) => escapeControls(String(c))));
  return table.toString();
}
