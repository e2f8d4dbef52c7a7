import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticResult =
  | { kind: 'file'; file: string; type: string }
  | { kind: 'bad-request' }
  | { kind: 'not-found' };

/**
 * Map a URL path to a file inside `root`, and never outside it: `..` in any spelling,
 * encoded separators, NUL bytes and symlinks that lead out are all refused.
 */
export function resolveStatic(rootReal: string, urlPath: string): StaticResult {
  const pathname = urlPath.split('?')[0]!.split('#')[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'bad-request' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-request' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'bad-request' };
  const rel = segments.filter(Boolean).join('/') || 'index.html';
  const candidate = path.join(rootReal, rel);
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { kind: 'not-found' };
  }
  if (real !== rootReal && !real.startsWith(rootReal + path.sep)) return { kind: 'not-found' };
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch {
    return { kind: 'not-found' };
  }
  if (st.isDirectory()) return resolveStatic(rootReal, `/${rel}/index.html`);
  if (!st.isFile()) return { kind: 'not-found' };
  return { kind: 'file', file: real, type: TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
}
