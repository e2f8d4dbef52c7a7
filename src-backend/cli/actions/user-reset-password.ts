import { AuthRoutes } from '../../contracts/routes/auth.js';
import { failure, usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { parseDurationHours, parsePositiveInt } from '../duration.js';
import { escapeControls } from '../output/escape.js';
import { confirm } from '../prompt.js';

export interface ResetPasswordOptions {
  lasting?: boolean;
  helpDesk?: boolean;
  expiresIn?: string;
  yes?: boolean;
  json?: boolean;
}

export async function resetPassword(ctx: CliContext, rawId: string, opts: ResetPasswordOptions): Promise<void> {
  const id = parsePositiveInt(rawId, 'ID', 2 ** 31 - 1);
  if (opts.lasting && opts.helpDesk) throw usageError('give --lasting or --help-desk, not both');
  if (opts.expiresIn !== undefined && !opts.helpDesk) throw usageError('--expires-in is for --help-desk codes');
  const expiresInHours = opts.expiresIn !== undefined ? parseDurationHours(opts.expiresIn) : undefined;
  // Refuse before any network call: a script without --yes must not hang on a prompt.
  if (!opts.yes && !ctx.io.stdin.isTTY)
    throw usageError('refusing to reset without confirmation: stdin is not a terminal, pass --yes');
  const { user } = await ctx.call(AuthRoutes.getUser, { params: { id } });
  if (!opts.yes) {
    const ok = await confirm(
      `Reset the password of ${user.role} ${id} ${escapeControls(user.username)}? Every session of theirs ends. [y/N] `,
      { stdin: ctx.io.stdin, stderr: ctx.io.stderr },
    );
    if (!ok) throw failure('cancelled; nothing reset');
  }
  const res = await ctx.call(AuthRoutes.resetPassword, {
    params: { id },
    body: {
      temporary: !opts.lasting,
      helpDesk: opts.helpDesk ?? false,
      ...(expiresInHours !== undefined ? { expiresInHours } : {}),
    },
  });
  if (opts.json) {
    ctx.out(JSON.stringify({ id, username: user.username, ...res }, null, 2));
    return;
  }
  const ended = `${res.sessionsEnded} session${res.sessionsEnded === 1 ? '' : 's'} ended`;
  if (res.helpDeskCode) {
    ctx.out(
      `${ctx.colors.green('✔')} Help-desk code for ${escapeControls(user.username)} (${ended}): ${res.helpDeskCode}`,
    );
    ctx.out(`  Valid once until ${res.expiresAt}: on the sign-in page it sets a new password and a new authenticator.`);
    return;
  }
  ctx.out(`${ctx.colors.green('✔')} New password for ${escapeControls(user.username)} (${ended}): ${res.password}`);
  ctx.out(
    res.temporary ? '  Temporary: a new one must be chosen at the next sign-in.' : '  Lasting: it stays until changed.',
  );
}
