import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

/**
 * argon2id at OWASP's floor (t=2, 19 MiB, p=1). The native binding hashes on libuv's thread
 * pool, so the event loop keeps serving while a hash runs.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, timeCost: 2, memoryCost: 19 * 1024, parallelism: 1 } as const;

/**
 * Server-generated initial passwords carry ~99 bits of entropy and must be changed at first
 * sign-in (mustChangePassword: every other route answers PASSWORD_CHANGE_REQUIRED until then).
 * A slow KDF buys nothing against guessing at that entropy, and at ~35 ms per argon2id hash
 * here a 10,000-row import (target: under 10 s) would take minutes, so they are kept as salted
 * SHA-256 under this prefix. The first password the user picks is argon2id like every other.
 */
const INITIAL_PREFIX = '$initial-sha256$';
const GENERATED_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const GENERATED_LENGTH = 17; // 17 × log2(57) ≈ 99 bits

export function generatePassword(): string {
  let out = '';
  for (let i = 0; i < GENERATED_LENGTH; i++) out += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
  return out;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export function hashGeneratedPassword(password: string): string {
  const salt = randomBytes(16);
  const digest = createHash('sha256').update(salt).update(password).digest();
  return `${INITIAL_PREFIX}${salt.toString('base64')}$${digest.toString('base64')}`;
}

function verifyGenerated(encoded: string, password: string): boolean {
  const [saltB64, digestB64] = encoded.slice(INITIAL_PREFIX.length).split('$');
  if (!saltB64 || !digestB64) return false;
  const expected = Buffer.from(digestB64, 'base64');
  const actual = createHash('sha256').update(Buffer.from(saltB64, 'base64')).update(password).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Verifies passwords so that every answer costs one argon2id verification: unknown users
 * (hash = null) and generated passwords are checked against a dummy hash too, which keeps
 * "no such user" and "wrong password" indistinguishable by timing.
 */
export class PasswordVerifier {
  private dummy: Promise<string> | null = null;

  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword(randomBytes(16).toString('hex'));
    return this.dummy;
  }

  /** Hash the dummy ahead of the first login so that one is not slower than the rest. */
  warmUp(): Promise<void> {
    return this.dummyHash().then(() => undefined);
  }

  async verify(encoded: string | null, password: string): Promise<boolean> {
    if (encoded === null || encoded.startsWith(INITIAL_PREFIX)) {
      const burn = await argon2.verify(await this.dummyHash(), password).catch(() => false);
      void burn;
      return encoded !== null && verifyGenerated(encoded, password);
    }
    try {
      return await argon2.verify(encoded, password);
    } catch {
      return false; // not an argon2 string (e.g. a seeded placeholder): never matches
    }
  }
}

/** Runs async jobs with at most `n` in flight, in order of submission. */
export async function mapLimited<T, R>(
  items: readonly T[],
  n: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}
