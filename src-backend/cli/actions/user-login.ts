import { AuthErrorCode, type AdminLoginRequest } from '../../contracts/auth.js';
import { failure, usageError } from '../cli-error.js';
import { responseError, serverMessage } from '../connection/describe-error.js';
import type { CliContext } from '../context.js';
import { promptLine, promptSecret } from '../prompt.js';
import { SESSION_MAX_MS, displayPath } from '../session-store.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import { succeeded } from '../connection/api.js';

export interface LoginOptions {
  /** asked at a terminal when left out */
  username?: string;
  password?: string;
  totp?: string;
}

export async function login(ctx: CliContext, opts: LoginOptions): Promise<void> {
  if (opts.totp !== undefined && !/^[0-9]{6}$/.test(opts.totp))
    throw usageError('--totp must be the 6 digits your authenticator shows');
  const io = { stdin: ctx.io.stdin, stderr: ctx.io.stderr };
  // A script must not hang on a prompt: without a terminal the username is a required option.
  if (opts.username === undefined && !io.stdin.isTTY)
    throw usageError("required option '--username <name>' not specified (stdin is not a terminal to ask on)");
  warnIfPlainHttp(ctx);
  const username =
    opts.username ??
    (await promptLine('Username: ', io, 'username required: pass --username or type it at the prompt'));
  const password = opts.password ?? (await promptSecret('Password: ', io));
  const body: AdminLoginRequest = { username, password, ...(opts.totp ? { totp: opts.totp } : {}) };
  const res = await ctx.send(AuthRoutes.loginAdmin, { body });
  if (!succeeded(res)) {
    const { code, message } = serverMessage(res.body, '');
    if (res.statusCode === 401 && code === AuthErrorCode.TOTP_REQUIRED)
      throw failure('this admin has 2FA turned on: pass --totp with the current 6-digit code');
    if (res.statusCode === 401 && (code === AuthErrorCode.INVALID_TOTP || code === AuthErrorCode.TOTP_REPLAYED))
      throw failure(`login failed: ${message || 'wrong 2FA code'}`);
    if (res.statusCode === 401) throw failure('login failed: wrong username or password');
    if (code === AuthErrorCode.WRONG_LOGIN_ROUTE) throw failure(`login failed: course-cli is for admins (${message})`);
    if (res.statusCode === 403) throw failure(`login failed: ${message}`);
    throw responseError('auth_node', res.statusCode, res.body);
  }
  const now = Date.now();
  // The CLI keeps a session as long as the server's absolute limit; if the server ends it
  // sooner, the next command gets 401 and says "session expired".
  const expiresAt = new Date(now + SESSION_MAX_MS).toISOString();
  ctx.store.write({
    token: res.body.token,
    username: res.body.user.username,
    expiresAt,
    savedAt: new Date(now).toISOString(),
    target: ctx.target,
  });
  const c = ctx.colors;
  ctx.out(
    `${c.green('✔')} Logged in as ${c.bold(res.body.user.username)}; session saved to ${displayPath(ctx.store.file, ctx.io.env)} (valid ${SESSION_MAX_MS / 3_600_000} h)`,
  );
  if (res.body.mfaSetupRequired) {
    ctx.note(c.yellow('! this admin must enrol 2FA before anything else (REQUIRE_ADMIN_2FA): do it in the console'));
  }
  if (res.body.user.mustChangePassword) {
    ctx.note(c.yellow('! this admin must change the initial password before anything else: do it in the console'));
  }
}

/** A password and a bearer token over plain HTTP are readable on the wire unless it is this machine. */
function warnIfPlainHttp(ctx: CliContext): void {
  const target = ctx.target;
  if (target === 'local' || !target.startsWith('http:')) return;
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return;
  ctx.note(
    ctx.colors.yellow(
      `! ${target} is plain HTTP: the password and session token cross the network unencrypted; prefer https://`,
    ),
  );
}
