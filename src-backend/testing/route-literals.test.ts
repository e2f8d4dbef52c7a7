import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTE_TABLES } from '../gateway/openapi.js';

/**
 * "No file outside contracts holds a service URL": a route's path is written once, in its
 * table, and everything else takes the route object. This scans the backend's source (tests
 * and the contracts excepted) for string literals that spell a route's path.
 */
const BACKEND = path.resolve(__dirname, '..');
/** Every path a caller could spell: the services' own, and the gateway paths (supervisor, gateway). */
const ALL_URLS = Object.values(ROUTE_TABLES).flatMap((routes) =>
  routes.map((r) => (r.service === 'supervisor' ? `/api/supervisor${r.url}` : r.url)),
);
/**
 * `/admin/`, `/internal/`, `/student/`, …; under `/api/` (the gateway's mount) two segments:
 * `/api/throttler/`, `/api/supervisor/`.
 */
function prefixOf(url: string): string | null {
  const depth = url.startsWith('/api/') ? 2 : 1;
  const parts = url.split('/');
  return parts.length > depth + 1 ? `${parts.slice(0, depth + 1).join('/')}/` : null;
}
const PREFIXES = [...new Set(ALL_URLS.map(prefixOf).filter((p): p is string => p !== null))];
/** Paths too short for a prefix are matched whole: `/login`, `/me`, `/courses`, `/api/notify`, … */
const WHOLE = new Set(ALL_URLS.filter((u) => prefixOf(u) === null));

/** The route-path string literals in a piece of TypeScript, as `line: literal`. */
export function routeLiterals(source: string): string[] {
  const hits: string[] = [];
  source.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return; // comments may name a route
    for (const m of line.matchAll(/(['"`])(\/[^'"`\s]*)\1?/g)) {
      const lit = m[2]!.split(/[?$]/)[0]!;
      if (WHOLE.has(lit) || PREFIXES.some((p) => lit.startsWith(p))) hits.push(`${i + 1}: ${m[2]}`);
    }
  });
  return hits;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'contracts' || e.name === 'node_modules' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('route paths live only in the route tables', () => {
  it('finds a path written by hand (the check can fail)', () => {
    const planted = [
      "await client.post<X>('data_node', '/identity/users/bulk', body);",
      'app.get(`/admin/users/${id}`, handler);',
      "const url = '/login';",
      '// a comment may say POST /login',
      "app.get('/api/:target/*', proxy);",
    ].join('\n');
    expect(routeLiterals(planted)).toEqual(['1: /identity/users/bulk', '2: /admin/users/${id}', '3: /login']);
  });

  it('no backend source file outside contracts spells one', () => {
    const found = sourceFiles(BACKEND).flatMap((f) =>
      routeLiterals(fs.readFileSync(f, 'utf8')).map((hit) => `${path.relative(BACKEND, f)}:${hit}`),
    );
    expect(found).toEqual([]);
  });
});
