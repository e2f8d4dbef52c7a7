import { SERVICE_LABELS } from '../contracts/services.js';
import type { SupervisorStatus } from '../contracts/supervisor.js';

/** A plain-text table of the processes for the terminal. */
export function formatStatusTable(status: SupervisorStatus): string {
  const rows = status.processes.map((p) => [
    SERVICE_LABELS[p.name],
    p.state,
    p.pid === null ? '-' : String(p.pid),
    p.port === null ? '-' : String(p.port),
    p.transport ?? '-',
    p.healthLatencyMs === null ? '-' : `${p.healthLatencyMs.toFixed(2)} ms`,
  ]);
  const header = ['process', 'state', 'pid', 'port', 'transport', 'health'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
