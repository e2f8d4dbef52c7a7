import { Option, type Command } from 'commander';
import { AuthPaths, type AuthUser, type UserPage } from '../../contracts/auth.js';
import type { Role } from '../../contracts/session.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { renderTable } from '../output/table.js';
import { LIST_USER_TYPES, examples } from './help-text.js';

interface ListOptions {
  userType: Role;
  search?: string;
  json?: boolean;
}

/** The server's page size cap; the CLI walks the pages to show everyone. */
const PAGE_SIZE = 500;

export function registerList(user: Command, ctx: CliContext): void {
  user
    .command('list')
    .description('list students, teachers or admins (a table for people, --json for scripts)')
    .addOption(new Option('--user-type <type>', 'which people').choices(LIST_USER_TYPES).makeOptionMandatory())
    .option('--search <text>', 'only those whose username, name or email contains this text')
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText(
      'after',
      examples(
        'course-cli user list --user-type student',
        'course-cli user list --user-type teacher --search smith',
        'course-cli user list --user-type student --json | jq -r ".[].username"',
      ),
    )
    .action(async (opts: ListOptions) => list(ctx, opts));
}

async function list(ctx: CliContext, opts: ListOptions): Promise<void> {
  if (opts.search !== undefined && opts.search.length > 100) throw usageError('--search is limited to 100 characters');
  const users: AuthUser[] = [];
  for (let page = 1; ; page++) {
    const q = new URLSearchParams({ role: opts.userType, page: String(page), pageSize: String(PAGE_SIZE), sort: 'id', order: 'asc' });
    if (opts.search) q.set('search', opts.search);
    const res = await ctx.call<UserPage>('GET', 'auth_node', `${AuthPaths.users}?${q}`);
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
