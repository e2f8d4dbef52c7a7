/**
 * What never reaches a log: the names of fields that hold secrets, and the shapes secrets take
 * in free text. pino censors the fields at the source (`loggerOptions`); the supervisor scrubs
 * every line again as it fans them in (`parseLogLine`), which also covers text a child printed
 * without pino.
 */
export const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'initialPassword',
  'passwordHash',
  'token',
  'accessToken',
  'totp',
  'totpSecret',
  'secret',
  'otpauthUri',
  'registrationCode',
  'resetCode',
  'authorization',
  'cookie',
] as const;

export const REDACTED = '[redacted]';

const SECRET_FIELD_SET: ReadonlySet<string> = new Set(SECRET_FIELDS.map((f) => f.toLowerCase()));

export function isSecretField(name: string): boolean {
  return SECRET_FIELD_SET.has(name.toLowerCase());
}

/** pino `redact` paths: each secret field at the top level and one level down, and request headers. */
export function pinoRedactPaths(): string[] {
  return [
    ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]),
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-internal-token"]',
    'users[*].password',
  ];
}

/**
 * `password: x`, `token=x`, `Bearer x`, `secret=x` (an otpauth URI) in free text. The value is
 * replaced up to the next space, quote, comma or `&`.
 */
const SECRET_TEXT =
  /\b(password|passwd|token|secret|totpSecret|initialPassword|registrationCode|resetCode)(["']?\s*[:=]\s*["']?)[^\s"',&]+|\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export function redactText(text: string): string {
  return text.replace(
    SECRET_TEXT,
    (_m, key: string | undefined, sep: string | undefined, bearer: string | undefined) =>
      bearer ? `${bearer}${REDACTED}` : `${key}${sep}${REDACTED}`,
  );
}

/** A copy of `fields` with every secret field censored, recursively (depth-limited). */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') {
    return typeof value === 'string' ? redactText(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = isSecretField(k) ? REDACTED : redactFields(v, depth + 1);
  return out;
}
