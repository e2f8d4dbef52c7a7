import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';

export function registerReset2fa(user: Command, ctx: CliContext): void {
  user
    .command('reset-2fa')
    .description('print a one-time code that lets the user set up 2FA again (with their password)')
    .argument('<username>', 'whose 2FA to reset')
    .addHelpText('after', examples('course-cli user reset-2fa alice'))
    .action(async (username: string) => (await import('../actions/user-reset-2fa.js')).reset(ctx, username));
}
