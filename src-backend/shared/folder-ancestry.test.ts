import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shortTempDir } from '../testing/stack.js';
import { ConfigError } from './config.js';
import { assertSafeAncestors } from './folder-ancestry.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(mode: number): string {
  const dir = shortTempDir('csc-a-');
  made.push(dir);
  fs.chmodSync(dir, mode);
  return dir;
}

describe('assertSafeAncestors', () => {
  it('accepts folders that are ours or root’s and closed to others, and parts not made yet', () => {
    const dir = tempDir(0o755);
    expect(() => assertSafeAncestors('SOCKET_DIR', path.join(dir, 'a', 'b', 'c'))).not.toThrow();
  });

  it('accepts a folder everyone may write to when it has the sticky bit, as /tmp', () => {
    const dir = tempDir(0o1777);
    expect(() => assertSafeAncestors('SOCKET_DIR', path.join(dir, 's'))).not.toThrow();
  });

  it.each(['777', '775', '757'])('refuses a folder above it with mode %s, naming that folder', (octal) => {
    const mode = parseInt(octal, 8);
    const dir = tempDir(mode);
    const below = path.join(dir, 'x');
    fs.mkdirSync(below, { mode: 0o700 });
    expect(() => assertSafeAncestors('DATA_DIR', path.join(below, 'data'))).toThrow(
      new ConfigError(
        `DATA_DIR ${below}/data: the folder ${dir} above it is writable by other users (mode ${octal}; run chmod go-w ${dir}); refusing to start`,
      ),
    );
  });

  it('does not judge the folder itself: only what is above it', () => {
    const dir = tempDir(0o777);
    expect(() => assertSafeAncestors('SOCKET_DIR', dir)).not.toThrow();
  });

  it('follows a symlink on the way and judges where it leads', () => {
    const open = tempDir(0o777);
    fs.mkdirSync(path.join(open, 'real'), { mode: 0o700 });
    const safe = tempDir(0o700);
    fs.symlinkSync(path.join(open, 'real'), path.join(safe, 'link'));
    expect(() => assertSafeAncestors('SOCKET_DIR', path.join(safe, 'link', 's'))).toThrow(
      `the folder ${open} above it is writable by other users`,
    );
  });
});
