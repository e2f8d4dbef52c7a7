import { Option, type Command } from 'commander';
import { Value } from 'typebox/value';
import { AuthPaths, Group, type GenerateRegistrationCodeRequest, type GeneratedCode, type UserType } from '../../contracts/auth.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { parseDurationHours, parsePositiveInt } from '../duration.js';
import { USER_TYPES, examples } from './help-text.js';

interface GenerateOptions {
  userType: UserType;
  maxUses: string;
  expiresIn?: string;
  group?: string;
}

const MAX_USES = 100_000;
const MAX_HOURS = 24 * 366;

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
    .action(async (opts: GenerateOptions) => generate(ctx, opts));
}

async function generate(ctx: CliContext, opts: GenerateOptions): Promise<void> {
  const body: GenerateRegistrationCodeRequest = { userType: opts.userType, maxUses: parsePositiveInt(opts.maxUses, '--max-uses', MAX_USES) };
  if (opts.expiresIn !== undefined) {
    const hours = parseDurationHours(opts.expiresIn);
    if (hours > MAX_HOURS) throw usageError('--expires-in is limited to 366 days');
    body.expiresInHours = hours;
  }
  if (opts.group !== undefined) {
    if (opts.userType !== 'student') throw usageError('--group only applies to --user-type student');
    if (!Value.Check(Group, opts.group)) throw usageError(`--group ${JSON.stringify(opts.group)} is not valid: up to 64 letters, digits, space . _ -`);
    body.group = opts.group;
  }
  const res = await ctx.call<GeneratedCode>('POST', 'auth_node', AuthPaths.generateRegistrationCode, body);
  const c = ctx.colors;
  ctx.out(`${c.green('✔')} Registration code: ${c.bold(res.code)}`);
  ctx.out(`For ${res.info.userType ?? opts.userType}s${res.info.group ? ` in group ${res.info.group}` : ''}, ${res.info.maxUses} use${res.info.maxUses === 1 ? '' : 's'}, valid until ${res.info.expiresAt}`);
}
