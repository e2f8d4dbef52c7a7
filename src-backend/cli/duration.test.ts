import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './cli-error.js';
import { parseDurationHours, parsePositiveInt } from './duration.js';

describe('parseDurationHours', () => {
  it('reads minutes, hours, days, weeks and bare hours', () => {
    expect(parseDurationHours('48h')).toBe(48);
    expect(parseDurationHours('90m')).toBe(1.5);
    expect(parseDurationHours('7d')).toBe(168);
    expect(parseDurationHours('2w')).toBe(336);
    expect(parseDurationHours('12')).toBe(12);
  });
  it('refuses nonsense and zero as usage errors', () => {
    for (const bad of ['', 'soon', '-5h', '0h', '5y', '1h30m']) {
      let err: unknown;
      try {
        parseDurationHours(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(ExitCode.usage);
    }
  });
});

describe('parsePositiveInt', () => {
  it('accepts whole numbers in range only', () => {
    expect(parsePositiveInt('10', '--max-uses')).toBe(10);
    expect(() => parsePositiveInt('0', '--max-uses')).toThrow('--max-uses must be between 1 and 1000000');
    expect(() => parsePositiveInt('1.5', '--max-uses')).toThrow('is not a whole number');
    expect(() => parsePositiveInt('abc', '--max-uses')).toThrow('is not a whole number');
  });
});
