import { failure, usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { confirm } from '../prompt.js';
import { parsePositiveInt } from '../duration.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';

export interface DeleteOptions {
  userType: 'student' | 'teacher' | 'admin';
  yes?: boolean;
}

export async function remove(ctx: CliContext, rawId: string, opts: DeleteOptions): Promise<void> {
  const id = parsePositiveInt(rawId, 'ID', 2 ** 31 - 1);
  // Refuse before any network call: a script without --yes must not hang on a prompt.
  if (!opts.yes && !ctx.io.stdin.isTTY) {
    throw usageError('refusing to delete without confirmation: stdin is not a terminal, pass --yes');
  }
  const { user } = await ctx.call(AuthRoutes.getUser, { params: { id } });
  // --user-type guards against deleting the wrong kind of account by a mistyped id.
  if (user.role !== opts.userType)
    throw failure(`user ${id} (${user.username}) is a ${user.role}, not a ${opts.userType}; nothing deleted`);
  if (!opts.yes) {
    const ok = await confirm(
      `Delete ${user.role} ${id} ${user.username} (${user.name})? This cannot be undone. [y/N] `,
      {
        stdin: ctx.io.stdin,
        stderr: ctx.io.stderr,
      },
    );
    if (!ok) throw failure('cancelled; nothing deleted');
  }
  await ctx.call(AuthRoutes.deleteUser, { params: { id } });
  ctx.out(`${ctx.colors.green('✔')} Deleted ${user.role} ${id} ${user.username}`);
}
