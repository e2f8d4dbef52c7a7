import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { displayPath } from '../session-store.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';

export async function logout(ctx: CliContext): Promise<void> {
  const session = ctx.store.read();
  if (!session) {
    ctx.out('Not logged in; nothing to do.');
    return;
  }
  let serverWarning: string | null = null;
  if (Date.parse(session.expiresAt) > Date.now() && session.target === ctx.target) {
    try {
      const res = await ctx.send(AuthRoutes.logout, { token: session.token });
      // 401: the server had already ended it, which is what we want.
      if (res.statusCode >= 400 && res.statusCode !== 401) serverWarning = `the server answered HTTP ${res.statusCode}`;
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      serverWarning = err.message;
    }
  }
  // The local copy goes either way: a logout must never leave a usable token on disk.
  ctx.store.clear();
  ctx.out(`Logged out; removed ${displayPath(ctx.store.file, ctx.io.env)}.`);
  if (serverWarning) {
    ctx.note(
      ctx.colors.yellow(`! the server was not told (${serverWarning}); the token stays valid there until it expires`),
    );
  }
}
