import {
  AuthErrorCode,
  EMAIL_PATTERN,
  GROUP_PATTERN,
  USERNAME_PATTERN,
  type BulkUserRow,
} from '../../../contracts/auth.js';
import { ErrorCode } from '../../../contracts/errors.js';
import { PASSWORD_REJECTED, type PasswordPolicy } from '../../../contracts/password-policy.js';
import { isPlainText } from '../../../contracts/text-rules.js';
import type { Role } from '../../../contracts/session.js';

export interface CleanRow {
  readonly role: Role;
  readonly username: string;
  readonly name: string;
  readonly email: string | null;
  readonly group: string | null;
  /** null → generate one */
  readonly password: string | null;
}

export type RowCheck = { ok: true; row: CleanRow } | { ok: false; error: { code: string; message: string } };

const USERNAME_RE = new RegExp(USERNAME_PATTERN);
const EMAIL_RE = new RegExp(EMAIL_PATTERN);
const GROUP_RE = new RegExp(GROUP_PATTERN);

const bad = (message: string, code: string = ErrorCode.VALIDATION_FAILED): RowCheck => ({
  ok: false,
  error: { code, message },
});
const blankToNull = (v: string | null | undefined): string | null =>
  v === undefined || v === null || v.trim() === '' ? null : v.trim();

/**
 * One import row checked the way the single-user routes' schemas check a body, but reported
 * per row, so one bad line in a 10,000-line CSV does not sink the rest.
 */
export function validateRow(input: BulkUserRow, policy: PasswordPolicy, allowAdmin = false): RowCheck {
  const role = input.role.trim().toLowerCase();
  if (role !== 'student' && role !== 'teacher' && !(allowAdmin && role === 'admin')) {
    return bad(`role must be student or teacher, not "${input.role}"`);
  }
  const username = input.username.trim();
  if (!USERNAME_RE.test(username)) {
    return bad('username must be 3-64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) return bad('name must be 1-200 characters');
  if (!isPlainText(name)) return bad('name contains a control or text-direction character');
  const email = blankToNull(input.email);
  if (email !== null && (email.length > 254 || !EMAIL_RE.test(email))) return bad(`"${email}" is not an email address`);
  const group = blankToNull(input.group);
  if (group !== null && (group.length > 64 || !GROUP_RE.test(group)))
    return bad(`"${group}" is not a valid group name`);
  if (group !== null && role !== 'student') return bad('only students belong to a group');
  const password =
    input.password === undefined || input.password === null || input.password === '' ? null : input.password;
  const passwordProblem = password === null ? null : policy.problem(password, username);
  if (passwordProblem) return bad(passwordProblem, PASSWORD_REJECTED);
  return { ok: true, row: { role: role as Role, username, name, email, group, password } };
}

export const duplicateInBatch = { code: AuthErrorCode.USERNAME_TAKEN, message: 'username appears twice in this batch' };
