import Table from 'cli-table3';

/** A unicode box table (cli-table3's default characters); no colour codes in the borders. */
export function renderTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((c) => String(c)));
  return table.toString();
}
