import { AuthRoutes } from '../../contracts/routes/auth.js';
import type { Role } from '../../contracts/session.js';
import type { UpdateUserRequest } from '../../contracts/user-lifecycle.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { parsePositiveInt } from '../duration.js';
import { escapeControls } from '../output/escape.js';

export interface EditOptions {
  name?: string;
  email?: string;
  clearEmail?: boolean;
  group?: string;
  clearGroup?: boolean;
  role?: Role;
  json?: boolean;
}

/** The body PATCH /admin/users/:id takes, from the flags; the server holds the rules. */
function patchOf(opts: EditOptions): UpdateUserRequest {
  if (opts.email !== undefined && opts.clearEmail) throw usageError('give --email or --clear-email, not both');
  if (opts.group !== undefined && opts.clearGroup) throw usageError('give --group or --clear-group, not both');
  const body: UpdateUserRequest = {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.email !== undefined ? { email: opts.email } : opts.clearEmail ? { email: null } : {}),
    ...(opts.group !== undefined ? { group: opts.group } : opts.clearGroup ? { group: null } : {}),
    ...(opts.role !== undefined ? { role: opts.role } : {}),
  };
  if (Object.keys(body).length === 0)
    throw usageError('nothing to change: give --name, --email, --group, --role, --clear-email or --clear-group');
  return body;
}

export async function edit(ctx: CliContext, rawId: string, opts: EditOptions): Promise<void> {
  const id = parsePositiveInt(rawId, 'ID', 2 ** 31 - 1);
  const res = await ctx.call(AuthRoutes.updateUser, { params: { id }, body: patchOf(opts) });
  if (opts.json) {
    ctx.out(JSON.stringify(res, null, 2));
    return;
  }
  const u = res.user;
  const where = u.group ? ` in ${u.group}` : '';
  ctx.out(`${ctx.colors.green('✔')} Updated ${u.role} ${u.id} ${escapeControls(u.username)}${escapeControls(where)}`);
  if (res.notOpenToGroup.length) {
    ctx.out(
      `${ctx.colors.yellow('!')} Holds ${res.notOpenToGroup.length} course(s) not open to ${escapeControls(u.group ?? 'no group')}: ` +
        `ids ${res.notOpenToGroup.join(', ')} (kept; the registrar decides)`,
    );
  }
}
