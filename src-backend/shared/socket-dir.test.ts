import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shortTempDir } from '../testing/stack.js';
import { ConfigError, socketPathFor } from './config.js';
import { ensureSocketDir } from './socket-dir.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('ensureSocketDir', () => {
  it('creates a missing folder with mode 0700 whatever the umask', () => {
    const parent = shortTempDir('csc-m-');
    made.push(parent);
    const dir = path.join(parent, 'a', 'b');
    const old = process.umask(0o000);
    try {
      ensureSocketDir(dir);
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('accepts an existing private folder and refuses a symlink to one', () => {
    const dir = shortTempDir('csc-m-');
    made.push(dir);
    expect(() => ensureSocketDir(dir)).not.toThrow();
    fs.symlinkSync(dir, `${dir}-l`);
    made.push(`${dir}-l`);
    expect(() => ensureSocketDir(`${dir}-l`)).toThrow(ConfigError);
  });
});

describe('socketPathFor', () => {
  it('uses <dir>/<name>.sock, and named pipes on Windows', () => {
    expect(socketPathFor('data_node', '/run/x', 'linux')).toBe('/run/x/data_node.sock');
    expect(socketPathFor('data_node', '/run/x', 'win32')).toBe('\\\\.\\pipe\\course-selection-data_node');
  });

  it('refuses a path over the limit instead of truncating it', () => {
    const dir = `/${'d'.repeat(96)}`; // 97 + '/data_node.sock' (15) = 112 bytes
    expect(() => socketPathFor('data_node', dir, 'linux')).toThrow(/112 bytes, over the OS limit of 107/);
    expect(socketPathFor('q', '/tmp', 'linux')).toBe('/tmp/q.sock');
  });
});
