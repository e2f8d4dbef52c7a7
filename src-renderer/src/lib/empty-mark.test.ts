import { describe, expect, it } from 'vitest';
import { EMPTY, formatBytes, formatDateTime, orEmpty } from './format';

/** every renderer source as text, read by the bundler (the renderer may not import node:fs) */
const SOURCES = import.meta.glob<string>(['../**/*.vue', '../**/*.ts', '!../**/*.test.ts', '!./format.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});
/** code lines, not comments (which may use a dash as punctuation) */
const code = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .split('\n')
    .filter((l) => !l.trim().startsWith('//'));

describe('the empty-cell mark', () => {
  it('is one mark, given by orEmpty and the formatters', () => {
    expect([orEmpty(null), orEmpty(undefined), orEmpty(''), formatBytes(null), formatDateTime(null)]).toEqual(
      Array(5).fill(EMPTY),
    );
    expect(orEmpty(0)).toBe('0');
  });

  it('is never spelled out in a view: every empty value goes through lib/format', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(40);
    const offenders = Object.entries(SOURCES).flatMap(([file, text]) =>
      code(text)
        .filter((l) => /['">]\s*(—|–|-|n\/a|N\/A)\s*['"<]/.test(l) && !/['"]-['"]\s*[,)\]]/.test(l))
        .map((l) => `${file}: ${l.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
