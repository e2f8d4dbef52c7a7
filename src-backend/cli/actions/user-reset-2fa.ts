import { type GenerateResetCodeRequest } from '../../contracts/auth.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';

export async function reset(ctx: CliContext, username: string): Promise<void> {
  if (username.length < 1 || username.length > 64) throw usageError('USERNAME must be 1 to 64 characters');
  const body: GenerateResetCodeRequest = { username };
  const res = await ctx.call(AuthRoutes.generateResetCode, { body });
  const c = ctx.colors;
  ctx.out(`${c.green('✔')} 2FA reset code for ${c.bold(username)}: ${c.bold(res.code)}`);
  ctx.out(
    `Valid until ${res.info.expiresAt}, ${res.info.maxUses === 1 ? 'one use' : `${res.info.maxUses} uses`}. The user redeems it with their password at POST /reset/2fa.`,
  );
}
