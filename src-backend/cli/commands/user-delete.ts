import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { LIST_USER_TYPES, examples } from './help-text.js';
import type { DeleteOptions } from '../actions/user-delete.js';

export function registerDelete(user: Command, ctx: CliContext): void {
  user
    .command('delete')
    .description('delete a user by id after a confirmation prompt (--yes skips it)')
    .argument('<id>', 'the user id (see user list)')
    .addOption(
      new Option('--user-type <type>', 'what the user must be; a mismatch deletes nothing')
        .choices(LIST_USER_TYPES)
        .makeOptionMandatory(),
    )
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .addHelpText(
      'after',
      examples('course-cli user delete 5 --user-type student', 'course-cli user delete 5 --user-type student --yes'),
    )
    .action(async (rawId: string, opts: DeleteOptions) =>
      (await import('../actions/user-delete.js')).remove(ctx, rawId, opts),
    );
}
