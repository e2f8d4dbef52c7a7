import {
  AuthErrorCode,
  BULK_MAX_ROWS,
  type BulkCreateRequest,
  type BulkRowResult,
  type BulkUserRow,
} from '../../contracts/auth.js';
import { responseError, serverMessage } from '../connection/describe-error.js';
import type { CliContext } from '../context.js';
import type { ResultRow } from './results-csv.js';
import type { CsvBadRow, CsvUserRow, ImportUserType } from './user-rows.js';
import { AuthRoutes } from '../../contracts/routes/auth.js';
import { succeeded } from '../connection/api.js';
import { CliError } from '../cli-error.js';

/** Rows per bulk request: big enough to amortise the hop, small enough to show progress. */
export const IMPORT_CHUNK_ROWS = 1000;
/**
 * A password given in the file costs one argon2id hash on the server (tens of ms per core),
 * while a generated one is nearly free; chunks are cut by that cost so each answers in seconds.
 */
export const IMPORT_CHUNK_GIVEN_PASSWORDS = 100;
const BASE_TIMEOUT_MS = 120_000;
/** generous per-hash allowance for an --atomic request that hashes many given passwords */
const PER_GIVEN_PASSWORD_MS = 250;

/** Split rows into requests: at most `maxRows` rows and `maxGiven` given passwords each. */
export function chunkRows(rows: readonly CsvUserRow[], maxRows: number, maxGiven: number): CsvUserRow[][] {
  const chunks: CsvUserRow[][] = [];
  let current: CsvUserRow[] = [];
  let given = 0;
  for (const row of rows) {
    const cost = row.password !== undefined ? 1 : 0;
    if (current.length > 0 && (current.length >= maxRows || given + cost > maxGiven)) {
      chunks.push(current);
      current = [];
      given = 0;
    }
    current.push(row);
    given += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface ImportOutcome {
  readonly created: number;
  /** rows the server refused (username taken, …), by line */
  readonly failed: readonly CsvBadRow[];
  /** one per row sent, keyed by the line it starts on */
  readonly results: ReadonlyMap<number, ResultRow>;
  /** set when the import stopped part-way (a service went away, or Ctrl-C) */
  readonly aborted: string | null;
}

/**
 * Send the good rows to auth_node's bulk route. Without --atomic: chunks, each row on its own,
 * failures reported per line. With --atomic: one request in one transaction, all or nothing.
 */
export async function importUsers(
  ctx: CliContext,
  token: string,
  userType: ImportUserType,
  rows: readonly CsvUserRow[],
  atomic: boolean,
  onProgress: (done: number, total: number) => void = () => undefined,
  /** asked between chunks: true stops cleanly (Ctrl-C), so every row's fate stays known */
  shouldStop: () => boolean = () => false,
): Promise<ImportOutcome> {
  const resultsByLine = new Map<number, ResultRow>();
  const failed: CsvBadRow[] = [];
  let created = 0;
  let aborted: string | null = null;
  // --atomic is one request (one transaction); otherwise chunks, cut by row count and hashing cost.
  const chunks = atomic
    ? [rows.slice(0, BULK_MAX_ROWS)]
    : chunkRows(rows, IMPORT_CHUNK_ROWS, IMPORT_CHUNK_GIVEN_PASSWORDS);
  let start = 0;

  for (const chunk of chunks) {
    if (shouldStop()) {
      aborted = `interrupted after ${start} rows`;
      break;
    }
    const body: BulkCreateRequest = { users: chunk.map((r) => toBulkRow(userType, r)), atomic };
    let res;
    try {
      res = await ctx.send(AuthRoutes.importUsers, {
        body,
        token,
        timeoutMs: BASE_TIMEOUT_MS + PER_GIVEN_PASSWORD_MS * chunk.filter((r) => r.password !== undefined).length,
      });
    } catch (err) {
      // ctx.send turns "nothing answered" into a CliError; anything else is a bug
      if (!(err instanceof CliError)) throw err;
      const described = err;
      // The request may have left before the connection broke (the shared client also retries
      // a reset socket over TCP, which hides it), so the server may or may not have these rows.
      for (const row of chunk) {
        resultsByLine.set(
          row.line,
          emptyResult(row.username, 'unknown: no answer from the server; check with user list'),
        );
      }
      aborted = `stopped after ${start} rows: ${described.message}`;
      break;
    }
    if (atomic && res.statusCode === 409) {
      // BULK_REJECTED: nothing was created; details.results names the failing rows.
      const { code, message, details } = serverMessage(res.body, 'the import was rejected');
      if (code !== AuthErrorCode.BULK_REJECTED) throw responseError('auth_node', res.statusCode, res.body);
      const bad = ((details as { results?: BulkRowResult[] } | undefined)?.results ?? []).filter((r) => !r.ok);
      for (const r of bad) {
        const row = chunk[r.row];
        if (!row) continue;
        const problem = r.error?.message ?? 'rejected by the server';
        failed.push({ line: row.line, username: row.username, problem });
        resultsByLine.set(row.line, emptyResult(row.username, `failed: ${problem}`));
      }
      aborted = `nothing imported: ${message}`;
      break;
    }
    if (!succeeded(res)) {
      // Before anything exists, fail plainly; after that, stop but keep what was created so
      // its passwords and secrets still reach the results file.
      if (start === 0) throw responseError('auth_node', res.statusCode, res.body);
      aborted = `stopped after ${start} rows: ${responseError('auth_node', res.statusCode, res.body).message}`;
      break;
    }
    for (const r of res.body.results) {
      const row = chunk[r.row];
      if (!row) continue;
      if (r.ok) {
        created++;
        resultsByLine.set(row.line, {
          username: row.username,
          generatedPassword: r.initialPassword ?? '',
          totpSecret: r.totpSecret ?? '',
          otpauthUri: r.otpauthUri ?? '',
          status: 'created',
        });
      } else {
        const problem = r.error?.message ?? 'rejected by the server';
        failed.push({ line: row.line, username: row.username, problem });
        resultsByLine.set(row.line, emptyResult(row.username, `failed: ${problem}`));
      }
    }
    start += chunk.length;
    onProgress(start, rows.length);
  }

  for (const row of rows) {
    if (!resultsByLine.has(row.line))
      resultsByLine.set(row.line, emptyResult(row.username, aborted ? `not imported: ${aborted}` : 'not imported'));
  }
  return { created, failed, results: resultsByLine, aborted };
}

function toBulkRow(userType: ImportUserType, r: CsvUserRow): BulkUserRow {
  return {
    role: userType,
    username: r.username,
    name: r.name,
    email: r.email,
    ...(r.group !== undefined ? { group: r.group } : {}),
    ...(r.password !== undefined ? { password: r.password } : {}),
  };
}

export function emptyResult(username: string, status: string): ResultRow {
  return { username, generatedPassword: '', totpSecret: '', otpauthUri: '', status };
}
