import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY, formatBytes, formatDateTime, orEmpty } from './format';

const SRC = path.resolve(__dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : /\.(vue|ts)$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
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
    const offenders = files(SRC)
      .filter((f) => !f.endsWith(path.join('lib', 'format.ts')) && !f.endsWith('.test.ts'))
      .flatMap((f) =>
        code(readFileSync(f, 'utf8'))
          .filter((l) => /['">]\s*(—|–|-|n\/a|N\/A)\s*['"<]/.test(l) && !/['"]-['"]\s*[,)\]]/.test(l))
          .map((l) => `${path.relative(SRC, f)}: ${l.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
