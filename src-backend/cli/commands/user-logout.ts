import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';

export function registerLogout(user: Command, ctx: CliContext): void {
  user
    .command('logout')
    .description('end the session on the server and delete the saved session file')
    .addHelpText('after', examples('course-cli user logout'))
    .action(async () => (await import('../actions/user-logout.js')).logout(ctx));
}
