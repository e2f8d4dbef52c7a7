import { Argument, Option, type Command } from 'commander';
import { BULK_ACTIONS, type BulkAction } from '../../contracts/user-lifecycle.js';
import type { BulkOptions } from '../actions/user-bulk.js';
import type { EditOptions } from '../actions/user-edit.js';
import type { ExportOptions } from '../actions/user-export.js';
import type { ResetPasswordOptions } from '../actions/user-reset-password.js';
import type { CliContext } from '../context.js';
import { LIST_USER_TYPES, examples } from './help-text.js';

/** The help desk's commands (issue 17): edit, reset-password, sessions, revoke-session, bulk, export. */
export function registerLifecycle(user: Command, ctx: CliContext): void {
  user
    .command('edit')
    .description("change a user's name, email, group or role (the username stays)")
    .argument('<id>', 'the user id (see user list)')
    .option('--name <name>', 'the new display name')
    .option('--email <email>', 'the new email')
    .option('--clear-email', 'remove the email')
    .option('--group <group>', "the student's new group; prints the courses held that it may not take")
    .option('--clear-group', 'remove the group (needed when a student becomes a teacher or admin)')
    .addOption(new Option('--role <role>', 'the new role').choices(LIST_USER_TYPES))
    .option('--json', 'print the answer as JSON')
    .addHelpText(
      'after',
      examples('course-cli user edit 5 --group math-2024', 'course-cli user edit 5 --name "Alice Smith" --clear-email'),
    )
    .action(async (id: string, opts: EditOptions) => (await import('../actions/user-edit.js')).edit(ctx, id, opts));

  user
    .command('reset-password')
    .description('give a user a generated password (temporary by default) or a help-desk code; ends their sessions')
    .argument('<id>', 'the user id (see user list)')
    .option('--lasting', 'the password stays until changed (default: a new one is chosen at the next sign-in)')
    .option('--help-desk', 'print a one-time help-desk code instead: it sets a new password and a new authenticator')
    .option('--expires-in <duration>', 'how long the help-desk code works (default 24h)')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--json', 'print the answer as JSON')
    .addHelpText(
      'after',
      examples('course-cli user reset-password 5', 'course-cli user reset-password 5 --help-desk --yes --json'),
    )
    .action(async (id: string, opts: ResetPasswordOptions) =>
      (await import('../actions/user-reset-password.js')).resetPassword(ctx, id, opts),
    );

  user
    .command('sessions')
    .description("list a user's sessions: when and where they signed in (the id is not the token)")
    .argument('<id>', 'the user id')
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText('after', examples('course-cli user sessions 5'))
    .action(async (id: string, opts: { json?: boolean }) =>
      (await import('../actions/user-sessions.js')).sessions(ctx, id, opts),
    );

  user
    .command('revoke-session')
    .description('end one session of a user at once, everywhere (HTTP, service caches, live sockets)')
    .argument('<id>', 'the user id')
    .argument('<session>', 'the session id from user sessions')
    .option('--json', 'print the answer as JSON')
    .addHelpText('after', examples('course-cli user revoke-session 5 3f2a9c0e1b7d4a68'))
    .action(async (id: string, session: string, opts: { json?: boolean }) =>
      (await import('../actions/user-sessions.js')).revokeSession(ctx, id, session, opts),
    );

  user
    .command('bulk')
    .description('disable, enable, delete, reset-2fa or set-group for up to 10,000 users, answered per user')
    .addArgument(new Argument('<action>', 'what to do').choices(BULK_ACTIONS))
    .option('--ids <ids>', 'comma-separated user ids')
    .addOption(new Option('--role <role>', 'filter: users of this role').choices(LIST_USER_TYPES))
    .option('--group <group>', 'filter: users in this group')
    .option('--search <text>', 'filter: username, name or email contains this text')
    .option('--disabled', 'filter: only disabled users')
    .option('--to-group <group>', 'set-group: the group to move them to')
    .option('--dry-run', 'say what would happen, change nothing')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--json', 'print the answer as JSON')
    .addHelpText(
      'after',
      examples(
        'course-cli user bulk disable --ids 12,13,14 --yes',
        'course-cli user bulk set-group --group cs-2024 --to-group cs-2025 --dry-run',
      ),
    )
    .action(async (action: BulkAction, opts: BulkOptions) =>
      (await import('../actions/user-bulk.js')).bulk(ctx, action, opts),
    );

  user
    .command('export')
    .description('users as CSV in the columns import csv takes (formula-safe, no secrets)')
    .addOption(
      new Option('--user-type <type>', 'only this role (gives the columns import csv --user-type takes)').choices(
        LIST_USER_TYPES,
      ),
    )
    .option('--group <group>', 'only this group')
    .option('--output <file>', 'write to this file (0600) instead of stdout')
    .option('--json', 'print the same rows as a JSON array')
    .addHelpText('after', examples('course-cli user export --user-type student --group cs-2024 --output cs-2024.csv'))
    .action(async (opts: ExportOptions) => (await import('../actions/user-export.js')).exportUsers(ctx, opts));
}
