import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shortTempDir } from '../testing/stack.js';

const root = path.resolve('.');

describe('electron.vite.config.ts', () => {
  const empty = shortTempDir('csc-b-');
  afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

  it('fails the build, naming it, when a service entry file is missing', () => {
    // the same config from a folder that has none of the entry files
    fs.writeFileSync(path.join(empty, 'package.json'), '{"dependencies":{}}');
    const res = spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'),
        'build',
        '--config',
        path.join(root, 'electron.vite.config.ts'),
      ],
      {
        cwd: empty,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, CSC_OUT: path.join(empty, 'out'), CSC_BUILD_ONLY: 'main' },
      },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(
      'electron.vite.config.ts: entry "server" is missing: src-backend/server/main.ts does not exist',
    );
    expect(fs.existsSync(path.join(empty, 'out'))).toBe(false); // nothing half-built
  });
});
