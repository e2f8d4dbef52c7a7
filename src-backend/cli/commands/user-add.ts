import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';
import type { AddOptions } from '../actions/user-add.js';

export function registerAddUser(user: Command, ctx: CliContext): void {
  user
    .command('add-student')
    .description(
      'create a student with a 2FA secret; prints the initial password (when generated), the secret and a QR code',
    )
    .requiredOption('--username <name>', 'login name (3-64 letters, digits, . _ -)')
    .requiredOption('--name <full name>', 'full name')
    .requiredOption('--email <address>', 'email address')
    .requiredOption('--group <group>', 'student group, e.g. cs-2024')
    .option(
      '--password <password>',
      'initial password (8-256 characters, not a common one, not containing the username); generated when left out',
    )
    .addHelpText(
      'after',
      examples(
        'course-cli user add-student --username alice --name "Alice Johnson" --email alice@example.com --group cs-2024',
        'course-cli user add-student --username bob --name "Bob Li" --email bob@example.com --group cs-2024 --password "s3cret-pass"',
      ),
    )
    .action(async (opts: AddOptions) => (await import('../actions/user-add.js')).addUser(ctx, 'student', opts));

  user
    .command('add-teacher')
    .description(
      'create a teacher with a 2FA secret; prints the initial password (when generated), the secret and a QR code',
    )
    .requiredOption('--username <name>', 'login name (3-64 letters, digits, . _ -)')
    .requiredOption('--name <full name>', 'full name')
    .requiredOption('--email <address>', 'email address')
    .option(
      '--password <password>',
      'initial password (8-256 characters, not a common one, not containing the username); generated when left out',
    )
    .addHelpText(
      'after',
      examples('course-cli user add-teacher --username bob --name "Bob Smith" --email bob@example.com'),
    )
    .action(async (opts: AddOptions) => (await import('../actions/user-add.js')).addUser(ctx, 'teacher', opts));
}
