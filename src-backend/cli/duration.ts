import { usageError } from './cli-error.js';

const UNIT_HOURS: Readonly<Record<string, number>> = { m: 1 / 60, h: 1, d: 24, w: 24 * 7 };

/** "48h", "90m", "7d", "2w" → hours. Plain numbers are hours. */
export function parseDurationHours(raw: string, flag = '--expires-in'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([mhdw]?)\s*$/i.exec(raw);
  if (!m) throw usageError(`${flag} ${JSON.stringify(raw)} is not a duration (examples: 90m, 48h, 7d)`);
  const hours = Number(m[1]) * UNIT_HOURS[(m[2] || 'h').toLowerCase()]!;
  if (!(hours > 0)) throw usageError(`${flag} must be longer than zero`);
  return hours;
}

/** A whole positive number from a flag, or a usage error naming the flag. */
export function parsePositiveInt(raw: string, flag: string, max = 1_000_000): number {
  if (!/^\s*\d+\s*$/.test(raw)) throw usageError(`${flag} ${JSON.stringify(raw)} is not a whole number`);
  const n = Number(raw);
  if (n < 1 || n > max) throw usageError(`${flag} must be between 1 and ${max}`);
  return n;
}
