import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { LIST_USER_TYPES, examples } from './help-text.js';
import type { ListOptions } from '../actions/user-list.js';

export function registerList(user: Command, ctx: CliContext): void {
  user
    .command('list')
    .description('list students, teachers or admins (a table for people, --json for scripts)')
    .addOption(new Option('--user-type <type>', 'which people').choices(LIST_USER_TYPES).makeOptionMandatory())
    .option('--search <text>', 'only those whose username, name or email contains this text')
    .option('--json', 'print a JSON array instead of a table')
    .addHelpText(
      'after',
      examples(
        'course-cli user list --user-type student',
        'course-cli user list --user-type teacher --search smith',
        'course-cli user list --user-type student --json | jq -r ".[].username"',
      ),
    )
    .action(async (opts: ListOptions) => (await import('../actions/user-list.js')).list(ctx, opts));
}
