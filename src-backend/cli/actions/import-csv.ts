import { BULK_MAX_ROWS } from '../../contracts/auth.js';
import { loadPasswordPolicy } from '../../contracts/password-policy.js';
import { CliError, ExitCode, failure, usageError } from '../cli-error.js';
import { escapeControls } from '../output/escape.js';
import type { CliContext } from '../context.js';
import { emptyResult, importUsers } from '../csv/import-users.js';
import { readUsersCsv } from '../csv/read-users-csv.js';
import { checkResultsWritable, writeResultsCsv, type ResultRow } from '../csv/results-csv.js';
import type { CsvBadRow } from '../csv/user-rows.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import type { ImportUserType } from '../csv/user-rows.js';

export interface ImportOptions {
  userType: ImportUserType;
  generatePasswords?: boolean;
  output?: string;
  atomic?: boolean;
}

/** Bad rows listed one per line on stderr; beyond this the results CSV has the rest. */
const MAX_LISTED = 50;

export async function importCsv(ctx: CliContext, file: string, opts: ImportOptions): Promise<void> {
  if (opts.generatePasswords && !opts.output) {
    throw usageError('--generate-passwords needs --output: generated passwords are shown only once, in that file');
  }
  if (opts.output) checkResultsWritable(opts.output);
  const session = ctx.requireSession();
  // Fail fast, before reading a big file: the session must be alive and auth_node reachable.
  await ctx.call(AuthRoutes.me);
  const parsed = readUsersCsv(file, {
    userType: opts.userType,
    generatePasswords: opts.generatePasswords === true,
    passwordPolicy: await loadPasswordPolicy(),
  });
  const c = ctx.colors;
  const total = parsed.rows.length + parsed.bad.length;
  if (total === 0) throw failure(`${file} has a header but no rows`);
  if (opts.atomic && parsed.rows.length > BULK_MAX_ROWS) {
    throw usageError(`--atomic imports at most ${BULK_MAX_ROWS} rows at once; ${file} has ${parsed.rows.length}`);
  }
  listBad(ctx, parsed.bad, opts.atomic ? 'rejected' : 'skipped', opts.output);

  const results = new Map<number, ResultRow>();
  for (const b of parsed.bad) results.set(b.line, emptyResult(b.username, `skipped: ${b.problem}`));
  const finish = (): void => {
    if (opts.output)
      writeResultsCsv(
        opts.output,
        [...results.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
      );
  };

  if (opts.atomic && parsed.bad.length > 0) {
    for (const r of parsed.rows)
      results.set(r.line, emptyResult(r.username, 'not imported: --atomic and other rows are bad'));
    finish();
    throw failure(`nothing imported: ${parsed.bad.length} bad row${parsed.bad.length === 1 ? '' : 's'} and --atomic`);
  }
  if (parsed.rows.length === 0) {
    finish();
    throw failure(`nothing imported: all ${parsed.bad.length} rows are bad`);
  }

  const progress = ctx.io.stderr.isTTY
    ? (done: number, all: number) => ctx.io.stderr.write(`\rimporting ${done}/${all}…`)
    : undefined;
  // Ctrl-C finishes the chunk in flight and writes the results, so no created account's
  // password or secret is lost; a second Ctrl-C quits at once.
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
    ctx.note('\nstopping after the current chunk (Ctrl-C again to quit now)…');
  };
  process.on('SIGINT', onSigint);
  let outcome;
  try {
    outcome = await importUsers(
      ctx,
      session.token,
      opts.userType,
      parsed.rows,
      opts.atomic === true,
      progress,
      () => interrupted,
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (progress) ctx.io.stderr.write('\r\x1b[K');
  for (const [line, r] of outcome.results) results.set(line, r);
  listBad(
    ctx,
    [...outcome.failed].sort((a, b) => a.line - b.line),
    'failed',
    opts.output,
  );
  finish();

  const notImported = total - outcome.created;
  const noun = `${opts.userType}${outcome.created === 1 ? '' : 's'}`;
  ctx.out(
    `${outcome.created > 0 ? c.green('✔') : c.red('✘')} Imported ${outcome.created} of ${total} ${noun} from ${file}${opts.output ? `; results in ${opts.output}` : ''}`,
  );
  if (!opts.output && outcome.created > 0) {
    ctx.note(
      c.yellow(
        '! no --output: the new accounts’ 2FA secrets were not saved; use user reset-2fa per user to hand them out',
      ),
    );
  }
  if (outcome.aborted) throw new CliError(outcome.aborted, interrupted ? ExitCode.interrupted : ExitCode.failure);
  if (notImported > 0) throw failure(`${notImported} of ${total} rows were not imported (listed above)`);
}

function listBad(ctx: CliContext, bad: readonly CsvBadRow[], verb: string, output: string | undefined): void {
  for (const b of bad.slice(0, MAX_LISTED)) {
    ctx.note(escapeControls(`line ${b.line}${b.username ? ` (${b.username})` : ''}: ${b.problem} — ${verb}`));
  }
  if (bad.length > MAX_LISTED) {
    ctx.note(
      `… and ${bad.length - MAX_LISTED} more ${verb} rows (${output ? `${output} lists every row` : 'pass --output to see every row'})`,
    );
  }
}
