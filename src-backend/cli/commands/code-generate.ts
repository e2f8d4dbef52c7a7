import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { USER_TYPES, examples } from './help-text.js';
import type { GenerateOptions } from '../actions/code-generate.js';

export function registerCode(program: Command, ctx: CliContext): void {
  const code = program.command('code').description('registration codes');
  code.addHelpText('after', examples('course-cli code generate --user-type student --max-uses 1'));
  code
    .command('generate')
    .description('create a registration code that lets people register as students or teachers')
    .addOption(new Option('--user-type <type>', 'what the code registers').choices(USER_TYPES).makeOptionMandatory())
    .requiredOption('--max-uses <n>', 'how many accounts the code may create')
    .option('--expires-in <duration>', 'how long it stays valid: 90m, 48h, 7d (default 72h)')
    .option('--group <group>', 'students who register with it join this group')
    .addHelpText(
      'after',
      examples(
        'course-cli code generate --user-type student --max-uses 1',
        'course-cli code generate --user-type teacher --max-uses 10 --expires-in 48h',
        'course-cli code generate --user-type student --max-uses 120 --group cs-2024 --expires-in 7d',
      ),
    )
    .action(async (opts: GenerateOptions) => (await import('../actions/code-generate.js')).generate(ctx, opts));
}
