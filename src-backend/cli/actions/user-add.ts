import { Value } from 'typebox/value';
import { Email, Group, PersonName, Username, type CreateUserRequest, type UserType } from '../../contracts/auth.js';
import { loadPasswordPolicy } from '../../contracts/password-policy.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { renderQr } from '../output/qr.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';

export interface AddOptions {
  username: string;
  name: string;
  email: string;
  group?: string;
  password?: string;
}

/** Check the flags with the contract's own schemas, so a typo is a usage error, not a 400. */
async function buildRequest(role: UserType, opts: AddOptions): Promise<CreateUserRequest> {
  const name = opts.name.trim();
  const email = opts.email.trim();
  if (!Value.Check(Username, opts.username))
    throw usageError(
      `--username ${JSON.stringify(opts.username)} is not valid: 3-64 letters, digits, . _ - starting with a letter or digit`,
    );
  if (!Value.Check(PersonName, name)) throw usageError('--name must be 1 to 200 characters');
  if (!Value.Check(Email, email)) throw usageError(`--email ${JSON.stringify(opts.email)} is not an email address`);
  const req: CreateUserRequest = { role, username: opts.username, name, email };
  if (role === 'student') {
    const group = (opts.group ?? '').trim();
    if (!Value.Check(Group, group))
      throw usageError(`--group ${JSON.stringify(opts.group)} is not valid: up to 64 letters, digits, space . _ -`);
    req.group = group;
  }
  if (opts.password !== undefined) {
    const problem = (await loadPasswordPolicy()).problem(opts.password, opts.username);
    if (problem) throw usageError(`--password: ${problem}`);
    req.password = opts.password;
  }
  return req;
}

export async function addUser(ctx: CliContext, role: UserType, opts: AddOptions): Promise<void> {
  const req = await buildRequest(role, opts);
  const created = await ctx.call(AuthRoutes.createUser, { body: req });
  const c = ctx.colors;
  ctx.out(`${c.green('✔')} Created ${role} ${c.bold(created.user.username)} (id ${created.user.id})`);
  if (created.initialPassword !== undefined) {
    ctx.out(`Initial password: ${created.initialPassword}  ${c.dim('(shown once; must be changed at first login)')}`);
  }
  ctx.out(`2FA secret:       ${created.totpSecret}`);
  ctx.out(`otpauth URI:      ${created.otpauthUri}`);
  ctx.out('');
  ctx.out('Scan with an authenticator app:');
  ctx.out(await renderQr(created.otpauthUri, c.isColorSupported));
}
