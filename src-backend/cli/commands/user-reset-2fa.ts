import type { Command } from 'commander';
import { AuthPaths, type GenerateResetCodeRequest, type GeneratedCode } from '../../contracts/auth.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';

export function registerReset2fa(user: Command, ctx: CliContext): void {
  user
    .command('reset-2fa')
    .description("print a one-time code that lets the user set up 2FA again (with their password)")
    .argument('<username>', 'whose 2FA to reset')
    .addHelpText('after', examples('course-cli user reset-2fa alice'))
    .action(async (username: string) => reset(ctx, username));
}

async function reset(ctx: CliContext, username: string): Promise<void> {
  if (username.length < 1 || username.length > 64) throw usageError('USERNAME must be 1 to 64 characters');
  const body: GenerateResetCodeRequest = { username };
  const res = await ctx.call<GeneratedCode>('POST', 'auth_node', AuthPaths.generateResetCode, body);
  const c = ctx.colors;
  ctx.out(`${c.green('✔')} 2FA reset code for ${c.bold(username)}: ${c.bold(res.code)}`);
  ctx.out(`Valid until ${res.info.expiresAt}, ${res.info.maxUses === 1 ? 'one use' : `${res.info.maxUses} uses`}. The user redeems it with their password at POST /reset/2fa.`);
}
