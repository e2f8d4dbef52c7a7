import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Electron's binary cannot be downloaded here, so src-main never runs in CI; the compiler is
// what holds it to Electron's API. This checks it compiles against electron's bundled .d.ts.
describe('src-main', () => {
  it('type-checks against electron’s bundled type definitions', () => {
    const tsc = path.resolve('node_modules/typescript/bin/tsc');
    const res = spawnSync(process.execPath, [tsc, '--noEmit', '--listFiles', '-p', 'tsconfig.node.json'], {
      encoding: 'utf8',
      timeout: 300_000, // tsc over the whole backend; a loaded 2-core machine needs minutes
    });
    // tsc lists real paths; node_modules may be a symlink (a git worktree sharing one install)
    const files = res.stdout.split('\n');
    expect(
      res.status,
      res.stdout
        .split('\n')
        .filter((l) => l.includes('error TS'))
        .join('\n'),
    ).toBe(0);
    expect(files).toContain(fs.realpathSync('node_modules/electron/electron.d.ts'));
    expect(files.some((f) => f.endsWith('src-main/index.ts'))).toBe(true);
    expect(files.some((f) => f.endsWith('src-main/preload.ts'))).toBe(true);
  }, 300_000);
});
