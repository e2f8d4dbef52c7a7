import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';
import type { LoginOptions } from '../actions/user-login.js';

export function registerLogin(user: Command, ctx: CliContext): void {
  user
    .command('login')
    .description('sign in as an admin and keep the session for 12 h in ~/.course_selection/config.json')
    .option('--username <name>', 'admin username; asked at a terminal when left out')
    .option(
      '--password <password>',
      'password; asked without echo when left out (a flag shows in ps, the prompt or stdin does not)',
    )
    .option('--totp <code>', "6-digit code from the admin's authenticator app, once 2FA is on")
    .addHelpText(
      'after',
      examples(
        'course-cli user login',
        'course-cli user login --username admin',
        'printf \'%s\\n\' "$ADMIN_PASSWORD" | course-cli user login --username admin',
        'course-cli --url http://127.0.0.1:8000 user login --username admin --totp 123456',
      ),
    )
    .action(async (opts: LoginOptions) => (await import('../actions/user-login.js')).login(ctx, opts));
}
