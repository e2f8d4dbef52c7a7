import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';
import type { StatusOptions } from '../actions/status.js';

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('show each process: a coloured dot, its state, transport and health latency')
    .option('--json', 'print the status as JSON')
    .addHelpText(
      'after',
      examples('course-cli status', 'course-cli --url http://127.0.0.1:8000 status', 'course-cli status --json') +
        '\nSigned in, the supervisor’s view comes from the gateway (state, pid, restarts); otherwise\n' +
        'each service’s /health is probed directly. Exit status is 1 unless every process is up.\n',
    )
    .action(async (opts: StatusOptions) => (await import('../actions/status.js')).status(ctx, opts));
}
