import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PORTAL_PAGE } from './app.js';

/**
 * Issue 15's budget: the portal's initial JavaScript (the page's entry script and everything
 * it imports statically, which the browser must fetch before the first view) is at most
 * 150 KB gzipped. Read from the built files, as the gateway serves them: `npm run build` first
 * (`npm test` does).
 */
const BUDGET_BYTES = 150 * 1024;
const renderer = path.resolve(process.env.CSC_OUT || 'out', 'renderer');

/** `/assets/x.js` from the page; `./y.js` from inside a chunk (same folder). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']\.\/([\w.-]+\.js)["']/g))
    found.add(m[1]!);
  return [...found];
}

function initialScripts(): Map<string, Buffer> {
  const page = path.join(renderer, PORTAL_PAGE);
  if (!fs.existsSync(page)) throw new Error(`${page} is missing: run npm run build first`);
  const html = fs.readFileSync(page, 'utf8');
  const fromPage = [
    ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/assets\/([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const files = new Map<string, Buffer>();
  const queue = [...fromPage];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (files.has(name)) continue;
    const body = fs.readFileSync(path.join(renderer, 'assets', name));
    files.set(name, body);
    queue.push(...staticImports(body.toString('utf8')));
  }
  return files;
}

describe('the portal bundle', () => {
  it('keeps its initial JavaScript within 150 KB gzipped', () => {
    const files = initialScripts();
    const sizes = [...files].map(([name, body]) => ({ name, gzip: zlib.gzipSync(body, { level: 9 }).length }));
    const total = sizes.reduce((s, f) => s + f.gzip, 0);
    console.log(
      `portal initial JS: ${(total / 1024).toFixed(1)} KB gzipped in ${sizes.length} files (${sizes
        .map((f) => `${f.name} ${(f.gzip / 1024).toFixed(1)}`)
        .join(', ')})`,
    );
    expect(sizes.some((f) => f.name.startsWith('portal-'))).toBe(true); // the entry itself was found
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('loads the views lazily: no view is in the initial files', () => {
    const names = [...initialScripts().keys()];
    expect(names.filter((n) => /View-/.test(n))).toEqual([]);
  });
});
