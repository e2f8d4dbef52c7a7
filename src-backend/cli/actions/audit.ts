import type { AuditQuery } from '../../contracts/auth.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import { csvText } from '../../contracts/csv-cell.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { parseDurationHours, parsePositiveInt } from '../duration.js';
import { renderTable } from '../output/table.js';
import type { AuditOptions } from '../commands/audit.js';

const COLUMNS = ['id', 'at', 'actor', 'action', 'target', 'detail'] as const;

/** `--since 24h` or `--since 2026-12-01T08:00:00Z` → an ISO time. */
export function sinceToIso(raw: string, now = Date.now()): string {
  if (/^\s*\d+(\.\d+)?\s*[mhdw]?\s*$/i.test(raw))
    return new Date(now - parseDurationHours(raw, '--since') * 3_600_000).toISOString();
  const t = Date.parse(raw);
  if (Number.isNaN(t))
    throw usageError(`--since ${JSON.stringify(raw)} is neither a time (2026-12-01T08:00Z) nor a duration (24h)`);
  return new Date(t).toISOString();
}

export async function audit(ctx: CliContext, opts: AuditOptions): Promise<void> {
  if (opts.json && opts.csv) throw usageError('choose one of --json and --csv');
  const query: AuditQuery = { limit: opts.limit ? parsePositiveInt(opts.limit, '--limit', 1000) : 100 };
  for (const key of ['actor', 'action', 'target'] as const) {
    const v = opts[key];
    if (v !== undefined) {
      if (v.length === 0 || v.length > 64) throw usageError(`--${key} must be 1 to 64 characters`);
      query[key] = v;
    }
  }
  if (opts.since) query.since = sinceToIso(opts.since);
  const { items } = await ctx.call(AuthRoutes.audit, { query });
  if (opts.json) {
    ctx.out(JSON.stringify(items, null, 2));
    return;
  }
  const rows = items.map((e) => COLUMNS.map((c) => e[c] ?? ''));
  if (opts.csv) {
    ctx.out(csvText(COLUMNS, rows).trimEnd());
    return;
  }
  ctx.out(renderTable(['ID', 'When', 'Actor', 'Action', 'Target', 'Detail'], rows));
  ctx.out(`${items.length} ${items.length === 1 ? 'entry' : 'entries'}`);
}
