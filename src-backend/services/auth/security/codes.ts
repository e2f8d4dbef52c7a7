import { createHash, randomInt } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 10 symbols × 5 bits = 50 bits, far above the 20-bit floor, shown as two groups of five. */
const LENGTH = 10;

export function generateCode(): string {
  let raw = '';
  for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** What the user typed, reduced to the canonical symbols: case, dashes and spaces don't matter. */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/**
 * Codes are stored as SHA-256 of the normalised code. A fast hash suffices: 50 random bits
 * cannot be guessed offline in useful time against a per-code lookup, and online guessing
 * is throttled.
 */
export function hashCode(input: string): string {
  return createHash('sha256')
    .update(`csc-code:${normalizeCode(input)}`)
    .digest('hex');
}
