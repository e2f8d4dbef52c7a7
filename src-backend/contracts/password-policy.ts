import { hasControlChar } from './text-rules.js';

/**
 * The password rule (OWASP ASVS 5.0 chapter 6) for every place a password is chosen: /register,
 * the console's add-user and CSV import, the CLI (user add, import), password changes. 8–256
 * characters, no control characters, not containing the username, not one of the common
 * passwords @zxcvbn-ts/language-common ships (about 49,000, compared case-insensitively). No
 * composition rules, as ASVS asks.
 *
 * The dictionary is about 400 KB and takes a few hundred ms to unpack, so it is loaded on first
 * use by a dynamic import: a renderer bundle that imports this module keeps it in a lazy chunk.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;
/** the error code of a 400 for a password the policy refuses; the message names the reason */
export const PASSWORD_REJECTED = 'PASSWORD_REJECTED';

export interface PasswordPolicy {
  /** Why this password may not be used, or null when it may. */
  problem(password: string, username?: string | null): string | null;
}

/** The checks that need no dictionary; null when they pass. */
export function passwordShapeProblem(password: string, username?: string | null): string | null {
  const length = Array.from(password).length; // characters, not UTF-16 units
  if (length < PASSWORD_MIN_LENGTH) return `password is too short (at least ${PASSWORD_MIN_LENGTH} characters)`;
  if (length > PASSWORD_MAX_LENGTH) return `password is too long (at most ${PASSWORD_MAX_LENGTH} characters)`;
  if (hasControlChar(password)) return 'password contains a control character';
  const name = username?.trim().toLowerCase();
  if (name && password.toLowerCase().includes(name)) return 'password contains the username';
  return null;
}

let loading: Promise<PasswordPolicy> | null = null;

/** The full policy, once its dictionary is in (loaded once per process). */
export function loadPasswordPolicy(): Promise<PasswordPolicy> {
  loading ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => {
    const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
    return {
      problem(password, username) {
        const shape = passwordShapeProblem(password, username);
        if (shape) return shape;
        return common.has(password.toLowerCase()) ? 'password is too common' : null;
      },
    };
  });
  return loading;
}
