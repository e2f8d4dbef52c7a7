import { Password } from '@contracts/auth';
/** Small client-side checks run before a form is sent; the server checks again and has the last word. */

export function required(v: string, what: string): string | undefined {
  return v.trim() === '' ? `${what} is required` : undefined;
}

export function intInRange(v: string | number, min: number, max: number, what: string): string | undefined {
  const n = typeof v === 'number' ? v : Number(v);
  if (v === '' || !Number.isInteger(n)) return `${what} must be a whole number`;
  if (n < min || n > max) return `${what} must be between ${min} and ${max}`;
  return undefined;
}

export function hasErrors(e: Record<string, string | undefined>): boolean {
  return Object.values(e).some((v) => v !== undefined);
}

/** Parse a JSON object typed into a form field; null when it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The server's minimum password length, read from the contract's schema. */
export function passwordMinLength(): number {
  const n = (Password as unknown as { minLength?: unknown }).minLength;
  return typeof n === 'number' ? n : 8;
}
