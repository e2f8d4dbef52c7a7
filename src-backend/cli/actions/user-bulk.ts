import { AuthRoutes } from '../../contracts/routes/auth.js';
import type { Role } from '../../contracts/session.js';
import { BULK_ACTION_MAX, type BulkAction, type BulkActionRequest } from '../../contracts/user-lifecycle.js';
import { failure, usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { parsePositiveInt } from '../duration.js';
import { renderTable } from '../output/table.js';
import { confirm } from '../prompt.js';

export interface BulkOptions {
  ids?: string;
  role?: Role;
  group?: string;
  search?: string;
  disabled?: boolean;
  toGroup?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** `--ids 3,5,8` or the list route's filter flags: exactly one of them picks the users. */
function requestOf(action: BulkAction, opts: BulkOptions): BulkActionRequest {
  const filtered =
    opts.role !== undefined || opts.group !== undefined || opts.search !== undefined || opts.disabled !== undefined;
  if ((opts.ids !== undefined) === filtered)
    throw usageError('pick the users with --ids or with filters (--role, --group, --search, --disabled), not both');
  if (action === 'set-group' && opts.toGroup === undefined) throw usageError('set-group needs --to-group');
  if (action !== 'set-group' && opts.toGroup !== undefined)
    throw usageError(`--to-group is for set-group, not ${action}`);
  const target = opts.toGroup !== undefined ? { group: opts.toGroup } : {};
  if (opts.ids !== undefined) {
    const ids = opts.ids.split(',').map((s) => parsePositiveInt(s, '--ids', 2 ** 31 - 1));
    if (ids.length > BULK_ACTION_MAX) throw usageError(`--ids takes at most ${BULK_ACTION_MAX} ids`);
    return { action, ids, ...target };
  }
  const filter = {
    ...(opts.role !== undefined ? { role: opts.role } : {}),
    ...(opts.group !== undefined ? { group: opts.group } : {}),
    ...(opts.search !== undefined ? { search: opts.search } : {}),
    ...(opts.disabled !== undefined ? { disabled: opts.disabled } : {}),
  };
  return { action, filter, ...target };
}

export async function bulk(ctx: CliContext, action: BulkAction, opts: BulkOptions): Promise<void> {
  const body = requestOf(action, opts);
  if (!opts.dryRun && !opts.yes && !ctx.io.stdin.isTTY)
    throw usageError(
      'refusing to change users without confirmation: stdin is not a terminal, pass --yes (or --dry-run)',
    );
  if (!opts.dryRun && !opts.yes) {
    // The confirmation names the count the server would act on: a dry run first.
    const dry = await ctx.call(AuthRoutes.bulkAction, { query: { dryRun: true }, body });
    const ok = await confirm(`${action} ${dry.done} user(s) (${dry.failed} would be refused)? [y/N] `, {
      stdin: ctx.io.stdin,
      stderr: ctx.io.stderr,
    });
    if (!ok) throw failure('cancelled; nothing changed');
  }
  const res = await ctx.call(AuthRoutes.bulkAction, {
    query: { dryRun: opts.dryRun ?? false },
    body,
    timeoutMs: 300_000,
  });
  if (opts.json) {
    ctx.out(JSON.stringify(res, null, 2));
    return;
  }
  const refused = res.results.filter((r) => !r.ok);
  if (refused.length) {
    ctx.out(
      renderTable(
        ['ID', 'Username', 'Refused', 'Why'],
        refused.map((r) => [r.id, r.username ?? '', r.error!.code, r.error!.message]),
      ),
    );
  }
  const prefix = res.dryRun ? 'Dry run: would ' : '';
  ctx.out(`${prefix}${action}: ${res.done} done, ${res.failed} refused, of ${res.total}`);
  // A script must notice that not everyone was done: exit 1 with one line, after the report.
  if (res.failed > 0 && !res.dryRun) throw failure(`${res.failed} of ${res.total} user(s) refused; see above`);
}
