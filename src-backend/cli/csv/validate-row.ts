import { Compile } from 'typebox/compile';
import { Email, Group, PersonName, Username } from '../../contracts/auth.js';
import { passwordShapeProblem, type PasswordPolicy } from '../../contracts/password-policy.js';
import type { CsvUserRow, ImportUserType } from './user-rows.js';

/**
 * One imported person, checked against the same TypeBox schemas auth_node uses, so a bad row
 * is reported with its line number before anything is sent (the server still checks).
 */
// Compiled once: Value.Check re-walks the schema per call, ~40× slower over a 10,000-row file.
const check = {
  username: Compile(Username),
  name: Compile(PersonName),
  email: Compile(Email),
  group: Compile(Group),
};

export type RowCheck = { ok: true; row: CsvUserRow } | { ok: false; problem: string };

export function validateRow(
  cells: Readonly<Record<string, string>>,
  line: number,
  userType: ImportUserType,
  generatePasswords: boolean,
  policy?: PasswordPolicy,
): RowCheck {
  const username = (cells.username ?? '').trim();
  // A line break inside a quoted name cell is a spreadsheet artefact: fold it to one space.
  const name = (cells.name ?? '').replace(/\s+/g, ' ').trim();
  const email = (cells.email ?? '').trim();
  const group = (cells.group ?? '').trim();
  // Passwords are taken verbatim: leading or trailing spaces may be intended.
  const password = cells.password ?? '';

  if (!username) return bad('username is empty');
  if (!check.username.Check(username)) {
    return bad(
      `username ${JSON.stringify(username)} is not valid (3-64 letters, digits, . _ -, starting with a letter or digit)`,
    );
  }
  if (!name) return bad('name is empty');
  if (!check.name.Check(name))
    return bad(
      `name ${JSON.stringify(name)} must be up to 200 characters, with no control or text-direction characters`,
    );
  if (!email) return bad('email is empty');
  if (!check.email.Check(email)) return bad(`email ${JSON.stringify(email)} is not an email address`);
  if (userType === 'student') {
    if (!group) return bad('group is empty');
    if (!check.group.Check(group))
      return bad(`group ${JSON.stringify(group)} is not valid (up to 64 letters, digits, space . _ -)`);
  }
  if (password === '') {
    if (!generatePasswords) return bad('password is empty (pass --generate-passwords to generate one)');
  } else {
    const problem = policy ? policy.problem(password, username) : passwordShapeProblem(password, username);
    if (problem) return bad(problem);
  }
  const row: CsvUserRow = {
    line,
    username,
    name,
    email,
    ...(userType === 'student' ? { group } : {}),
    ...(password === '' ? {} : { password }),
  };
  return { ok: true, row };
}

function bad(problem: string): RowCheck {
  return { ok: false, problem };
}
