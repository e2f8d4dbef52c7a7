import { AuthErrorCode, type BulkRowResult, type BulkUserRow } from '../../../contracts/auth.js';
import {
  type DataBulkInsertResponse,
  type DataBulkRowResult,
  type DataNewUser,
} from '../../../contracts/routes/data-identity.js';
import { loadPasswordPolicy } from '../../../contracts/password-policy.js';
import { AppError, badRequest, conflict } from '../../../shared/app-error.js';
import { ServiceCallError } from '../../../shared/service-client.js';
import type { AuthDeps } from '../deps.js';
import { generatePassword, hashGeneratedPassword, hashPassword, mapLimited } from '../security/passwords.js';
import { newTotpEnrollment } from '../security/totp.js';
import { duplicateInBatch, validateRow, type CleanRow } from './validate-row.js';

export interface CreateAccountsResult {
  readonly created: number;
  readonly failed: number;
  readonly results: BulkRowResult[];
}

interface Prepared {
  readonly index: number;
  readonly row: CleanRow;
  readonly record: DataNewUser;
  readonly initialPassword?: string;
  readonly totpSecret?: string;
  readonly otpauthUri?: string;
}

/**
 * Create accounts from rows: validate, hash, give students and teachers a TOTP secret, insert
 * in one data-side transaction. Given passwords are argon2id-hashed a few at a time (bounded,
 * so sign-ins keep their share of the thread pool); generated ones use the fast scheme for
 * high-entropy one-time passwords (see passwords.ts).
 *
 * `atomic`: any bad row rejects everything (409 BULK_REJECTED with the failing rows). A single
 * account (`allowAdmin` routes and POST /admin/users) gets the row's own error instead.
 */
export async function createAccounts(
  deps: Pick<AuthDeps, 'store' | 'settings'>,
  rows: readonly BulkUserRow[],
  atomic: boolean,
  opts: { allowAdmin?: boolean } = {},
): Promise<CreateAccountsResult> {
  const single = rows.length === 1 && atomic;
  const results: BulkRowResult[] = new Array(rows.length);
  const valid: { index: number; row: CleanRow }[] = [];
  const seen = new Set<string>();
  const policy = await loadPasswordPolicy();
  rows.forEach((input, index) => {
    const check = validateRow(input, policy, opts.allowAdmin);
    const username = typeof input.username === 'string' ? input.username.trim() : '';
    if (!check.ok) {
      results[index] = { row: index, username, ok: false, error: check.error };
    } else if (seen.has(check.row.username.toLowerCase())) {
      results[index] = { row: index, username, ok: false, error: duplicateInBatch };
    } else {
      seen.add(check.row.username.toLowerCase());
      valid.push({ index, row: check.row });
    }
  });
  const failedEarly = results.filter(Boolean);
  if (single && failedEarly.length) throw badRequest(failedEarly[0]!.error!.message, failedEarly[0]!.error!.code);
  if (atomic && failedEarly.length) throw rejected(failedEarly);

  const prepared = await mapLimited(
    valid,
    deps.settings.bulkHashConcurrency,
    async ({ index, row }): Promise<Prepared> => {
      const generated = row.password === null ? generatePassword() : undefined;
      const passwordHash = generated ? hashGeneratedPassword(generated) : await hashPassword(row.password!);
      const totp = row.role === 'admin' ? undefined : newTotpEnrollment(row.username);
      return {
        index,
        row,
        initialPassword: generated,
        totpSecret: totp?.totpSecret,
        otpauthUri: totp?.otpauthUri,
        record: {
          role: row.role,
          username: row.username,
          name: row.name,
          email: row.email,
          group: row.group,
          passwordHash,
          totpSecret: totp?.totpSecret ?? null,
          mustChangePassword: generated !== undefined,
        },
      };
    },
  );

  let inserted: DataBulkRowResult[] = [];
  if (prepared.length) {
    const res = await deps.store.insertUsersRaw(
      prepared.map((p) => p.record),
      atomic,
    );
    if (res.statusCode === 409 && atomic) {
      const dataRows =
        (res.body as { error?: { details?: { results?: DataBulkRowResult[] } } }).error?.details?.results ?? [];
      const failures = dataRows.map((r) => ({
        row: prepared[r.row]!.index,
        username: r.username,
        ok: false,
        error: r.error,
      }));
      if (single && failures[0]?.error) throw conflict(failures[0].error.message, failures[0].error.code);
      throw rejected(failures);
    }
    if (res.statusCode !== 200) {
      const err = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ServiceCallError(
        'data_node',
        res.statusCode,
        err?.code ?? `HTTP_${res.statusCode}`,
        err?.message ?? 'bulk insert failed',
      );
    }
    inserted = (res.body as DataBulkInsertResponse).results;
  }
  let created = 0;
  inserted.forEach((r, i) => {
    const p = prepared[i]!;
    if (r.id !== undefined) {
      created++;
      results[p.index] = {
        row: p.index,
        username: p.row.username,
        ok: true,
        id: r.id,
        ...(p.initialPassword ? { initialPassword: p.initialPassword } : {}),
        ...(p.totpSecret ? { totpSecret: p.totpSecret, otpauthUri: p.otpauthUri } : {}),
      };
    } else {
      results[p.index] = { row: p.index, username: p.row.username, ok: false, error: r.error };
    }
  });
  return { created, failed: rows.length - created, results };
}

function rejected(failures: BulkRowResult[]): AppError {
  return new AppError(409, AuthErrorCode.BULK_REJECTED, `${failures.length} row(s) failed; nothing was created`, {
    results: failures.sort((a, b) => a.row - b.row),
  });
}
