import { ExitCode } from './cli-error.js';
import type { CliIo } from './context.js';
import { runCli } from './run.js';

const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
// A closed pipe (course-cli user list | head) is not an error worth a message.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(ExitCode.ok);
});
const code = await runCli(process.argv.slice(2), io);
process.exitCode = code;
// Leave by the normal route so piped output is flushed; a stray keep-alive handle must not hang us.
setTimeout(() => process.exit(code), 2000).unref();
