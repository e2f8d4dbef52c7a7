import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';

export interface AuditOptions {
  actor?: string;
  action?: string;
  target?: string;
  since?: string;
  limit?: string;
  json?: boolean;
  csv?: boolean;
}

export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('show the audit log, newest first: who did what, to what, when (admin session)')
    .option('--actor <name>', 'only entries whose actor contains this text')
    .option(
      '--action <name>',
      'only entries whose action contains this text (login_failed, user_deleted, process_restart…)',
    )
    .option('--target <text>', 'only entries whose target contains this text')
    .option('--since <when>', 'only entries from this ISO time on, or this long ago (90m, 24h, 7d)')
    .option('--limit <n>', 'at most this many entries (default 100, at most 1000)')
    .option('--json', 'print a JSON array instead of a table')
    .option('--csv', 'print CSV (formula-safe) instead of a table')
    .addHelpText(
      'after',
      examples(
        'course-cli audit --since 24h',
        'course-cli audit --action login_failed --json',
        'course-cli audit --actor admin --csv > audit.csv',
      ),
    )
    .action(async (opts: AuditOptions) => (await import('../actions/audit.js')).audit(ctx, opts));
}
