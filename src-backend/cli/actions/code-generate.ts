import { Value } from 'typebox/value';
import { Group, type GenerateRegistrationCodeRequest } from '../../contracts/auth.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { parseDurationHours, parsePositiveInt } from '../duration.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import type { UserType } from '../../contracts/auth.js';

export interface GenerateOptions {
  userType: UserType;
  maxUses: string;
  expiresIn?: string;
  group?: string;
}

const MAX_USES = 100_000;
const MAX_HOURS = 24 * 366;

export async function generate(ctx: CliContext, opts: GenerateOptions): Promise<void> {
  const body: GenerateRegistrationCodeRequest = {
    userType: opts.userType,
    maxUses: parsePositiveInt(opts.maxUses, '--max-uses', MAX_USES),
  };
  if (opts.expiresIn !== undefined) {
    const hours = parseDurationHours(opts.expiresIn);
    if (hours > MAX_HOURS) throw usageError('--expires-in is limited to 366 days');
    body.expiresInHours = hours;
  }
  if (opts.group !== undefined) {
    if (opts.userType !== 'student') throw usageError('--group only applies to --user-type student');
    if (!Value.Check(Group, opts.group))
      throw usageError(`--group ${JSON.stringify(opts.group)} is not valid: up to 64 letters, digits, space . _ -`);
    body.group = opts.group;
  }
  const res = await ctx.call(AuthRoutes.generateRegistrationCode, { body });
  const c = ctx.colors;
  ctx.out(`${c.green('✔')} Registration code: ${c.bold(res.code)}`);
  ctx.out(
    `For ${res.info.userType ?? opts.userType}s${res.info.group ? ` in group ${res.info.group}` : ''}, ${res.info.maxUses} use${res.info.maxUses === 1 ? '' : 's'}, valid until ${res.info.expiresAt}`,
  );
}
