import { type AuthUser } from '../../contracts/auth.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { renderTable } from '../output/table.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import type { Role } from '../../contracts/session.js';

export interface ListOptions {
  userType: Role;
  search?: string;
  json?: boolean;
}

/** The server's page size cap; the CLI walks the pages to show everyone. */
const PAGE_SIZE = 500;

export async function list(ctx: CliContext, opts: ListOptions): Promise<void> {
  if (opts.search !== undefined && opts.search.length > 100) throw usageError('--search is limited to 100 characters');
  const users: AuthUser[] = [];
  for (let page = 1; ; page++) {
    const res = await ctx.call(AuthRoutes.listUsers, {
      query: {
        role: opts.userType,
        page,
        pageSize: PAGE_SIZE,
        sort: 'id',
        order: 'asc',
        search: opts.search || undefined,
      },
    });
    users.push(...res.items);
    if (res.items.length < PAGE_SIZE || users.length >= res.total) break;
  }
  if (opts.json) {
    ctx.out(JSON.stringify(users, null, 2));
    return;
  }
  const withGroup = opts.userType === 'student';
  const head = ['ID', 'Username', 'Name', 'Email', ...(withGroup ? ['Group'] : []), 'Status'];
  const rows = users.map((u) => [
    u.id,
    u.username,
    u.name,
    u.email ?? '',
    ...(withGroup ? [u.group ?? ''] : []),
    u.disabled ? 'disabled' : 'active',
  ]);
  ctx.out(renderTable(head, rows));
  const noun = users.length === 1 ? opts.userType : `${opts.userType}s`;
  ctx.out(`${users.length} ${noun}${opts.search ? ` matching ${JSON.stringify(opts.search)}` : ''}`);
}
