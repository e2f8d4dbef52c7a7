import fs from 'node:fs';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import type { Role } from '../../contracts/session.js';
import { failure } from '../cli-error.js';
import type { CliContext } from '../context.js';

export interface ExportOptions {
  userType?: Role;
  group?: string;
  output?: string;
  json?: boolean;
}

/** The server's formula-safe CSV, as it came: to stdout, or to a file. --json: the same rows as objects. */
export async function exportUsers(ctx: CliContext, opts: ExportOptions): Promise<void> {
  const csv = await ctx.call(AuthRoutes.exportUsers, { query: { role: opts.userType, group: opts.group } });
  if (typeof csv !== 'string') throw failure('the server did not answer with CSV');
  let text = csv;
  if (opts.json) {
    const { parse } = await import('csv-parse/sync');
    const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    text = JSON.stringify(rows, null, 2) + '\n';
  }
  if (opts.output) {
    try {
      fs.writeFileSync(opts.output, text, { mode: 0o600 });
    } catch (err) {
      throw failure(`cannot write ${opts.output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    ctx.note(`${ctx.colors.green('✔')} Wrote ${opts.output}`);
    return;
  }
  ctx.io.stdout.write(text);
}
