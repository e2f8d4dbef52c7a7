import { CliError, ExitCode, oneLine } from './cli-error.js';
import { CliContext, type CliIo } from './context.js';
import { CommanderError, buildProgram, commanderExitCode } from './program.js';

/**
 * course-cli's entry. Every failure ends here as ONE line on stderr and an exit code
 * (0 ok, 1 failure, 2 usage); a stack trace is never shown.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExitCode(err);
    if (err instanceof CliError) {
      io.stderr.write(`error: ${oneLine(err.message)}\n`);
      return err.exitCode;
    }
    // A bug: still one line, and enough to report it (COURSE_CLI_DEBUG shows the stack).
    const e = err as Error;
    io.stderr.write(`error: unexpected ${e?.name ?? 'error'}: ${oneLine(String(e?.message ?? err))}\n`);
    if (io.env.COURSE_CLI_DEBUG) io.stderr.write(`${e?.stack ?? ''}\n`);
    return ExitCode.failure;
  } finally {
    await ctx.close();
  }
}
