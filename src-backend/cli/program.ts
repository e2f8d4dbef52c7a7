import { Command, CommanderError } from 'commander';
import { ExitCode, oneLine } from './cli-error.js';
import { registerAudit } from './commands/audit.js';
import { registerCode } from './commands/code-generate.js';
import { examples } from './commands/help-text.js';
import { registerImport } from './commands/import-csv.js';
import { registerProcess } from './commands/process.js';
import { registerStatus } from './commands/status.js';
import { registerAddUser } from './commands/user-add.js';
import { registerDelete } from './commands/user-delete.js';
import { registerList } from './commands/user-list.js';
import { registerLogin } from './commands/user-login.js';
import { registerLogout } from './commands/user-logout.js';
import { registerReset2fa } from './commands/user-reset-2fa.js';
import type { CliContext } from './context.js';

export const CLI_VERSION = '0.1.0';

/** The command set (README: course-cli): user …, code generate, import csv, status, process start|stop|restart. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('course-cli')
    .description(
      'Manage the course-selection system: users, registration codes, CSV imports, service status and processes.',
    )
    .version(CLI_VERSION, '-V, --version')
    .option(
      '--url <url>',
      'talk HTTP to this base URL (the gateway, or one service) instead of the local sockets; or set COURSE_CLI_URL',
    )
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples(
        'course-cli user login --username admin',
        'course-cli user add-student --username alice --name "Alice Johnson" --email alice@example.com --group cs-2024',
        'course-cli import csv users.csv --user-type student --generate-passwords --output results.csv',
        'course-cli status',
        'course-cli process restart queue_node',
      ) +
        '\nEnvironment: COURSE_CLI_URL, SOCKET_DIR, USE_SOCKETS, GATEWAY_PORT, <NAME>_PORT, NO_COLOR.\n' +
        'Exit status: 0 success, 1 failure, 2 wrong usage.\n',
    );

  const user = program.command('user').description('sign in and manage students, teachers and admins');
  user.addHelpText(
    'after',
    examples(
      'course-cli user login --username admin',
      'course-cli user list --user-type student',
      'course-cli user delete 5 --user-type student',
    ),
  );
  registerLogin(user, ctx);
  registerLogout(user, ctx);
  registerAddUser(user, ctx);
  registerList(user, ctx);
  registerDelete(user, ctx);
  registerReset2fa(user, ctx);
  registerCode(program, ctx);
  registerImport(program, ctx);
  registerStatus(program, ctx);
  registerAudit(program, ctx);
  registerProcess(program, ctx);

  // The global --url is read just before any command runs.
  program.hook('preAction', (_root, action) => {
    ctx.useUrl(action.optsWithGlobals<{ url?: string }>().url);
  });
  applyToAll(program, (cmd) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      // Commander's own usage errors: one line too, with a pointer to --help.
      outputError: (s, write) => write(`${oneLine(s)} (see ${commandPath(cmd)} --help)\n`),
    });
  });
  return program;
}

/** Map commander's outcome to our exit codes: help and version are success, the rest is usage. */
export function commanderExitCode(err: CommanderError): ExitCode {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
  if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  return ExitCode.usage;
}

function applyToAll(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) applyToAll(sub, fn);
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export { CommanderError };
