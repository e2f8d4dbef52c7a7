import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../contracts/services.js';
import { builtEntryDir } from './stack.js';

/**
 * The six service names are listed once, in contracts/services.ts. Plain-Node scripts that
 * cannot import TypeScript read them from the build's out/main/services.json.
 */
const ROOT = path.resolve(__dirname, '../..');
const SCANNED = ['scripts', 'e2e', 'src-backend', 'src-main', 'src-renderer'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'contracts' ? [] : sourceFiles(p);
    return /\.(ts|mts|mjs|js|vue)$/.test(e.name) && !/\.(test|spec)\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Array literals in `source` that name every service: a second copy of the list. */
export function serviceListCopies(source: string): string[] {
  return [...source.matchAll(/\[[^\][]*\]/g)]
    .map((m) => m[0])
    .filter((lit) => SERVICE_NAMES.every((n) => lit.includes(`'${n}'`) || lit.includes(`"${n}"`)));
}

describe('service names are listed once', () => {
  it('finds a copy (the check can fail)', () => {
    const planted =
      "const services = ['data_node', 'auth_node', 'teacher_node', 'student_node', 'queue_node', 'realtime'];";
    expect(serviceListCopies(planted)).toHaveLength(1);
    expect(serviceListCopies("startStack({ services: ['data_node', 'auth_node'] })")).toEqual([]);
  });

  it('no script, benchmark or source file outside contracts spells the whole list', () => {
    const found = SCANNED.flatMap((d) => sourceFiles(path.join(ROOT, d)))
      .filter((f) => serviceListCopies(fs.readFileSync(f, 'utf8')).length > 0)
      .map((f) => path.relative(ROOT, f));
    expect(found).toEqual([]);
  });

  it("the build's services.json (what scripts/ensure-build.mjs reads) is SERVICE_NAMES", () => {
    const manifest = path.join(builtEntryDir(), 'services.json');
    expect(JSON.parse(fs.readFileSync(manifest, 'utf8'))).toEqual([...SERVICE_NAMES]);
  });
});
