import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { SessionStore, type SavedSession } from './session-store.js';

let home: string;
let store: SessionStore;
const session: SavedSession = {
  token: 'tok',
  username: 'admin',
  expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  savedAt: new Date().toISOString(),
  target: 'local',
};

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-home-'));
  store = new SessionStore({ HOME: home });
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err.message;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('SessionStore', () => {
  it('writes 0600 in a 0700 folder under $HOME and reads it back', () => {
    const old = process.umask(0o022);
    try {
      store.write(session);
    } finally {
      process.umask(old);
    }
    const dir = path.join(home, '.course_selection');
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['config.json']); // no temp file left behind
    expect(store.read()).toEqual(session);
  });

  it('tightens a loose folder of ours before writing', () => {
    const dir = path.join(home, '.course_selection');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    store.write(session);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a file that others can read, naming the fix', () => {
    store.write(session);
    fs.chmodSync(store.file, 0o644);
    expect(message(() => store.read())).toBe(
      '~/.course_selection/config.json is readable by other users (mode 644); refusing to use it: run chmod 600 ~/.course_selection/config.json or course-cli user login again',
    );
    fs.chmodSync(store.file, 0o640);
    expect(message(() => store.read())).toMatch(/mode 640/);
  });

  it('refuses a symlinked session file', () => {
    const dir = path.join(home, '.course_selection');
    fs.mkdirSync(dir, { mode: 0o700 });
    const real = path.join(home, 'elsewhere.json');
    fs.writeFileSync(real, JSON.stringify(session), { mode: 0o600 });
    fs.symlinkSync(real, store.file);
    expect(message(() => store.read())).toMatch(/not a plain file/);
  });

  it('says so when the file is not a session', () => {
    store.write(session);
    fs.writeFileSync(store.file, '{"token":1}');
    expect(message(() => store.read())).toMatch(/is not a course-cli session/);
    fs.writeFileSync(store.file, 'not json');
    expect(message(() => store.read())).toMatch(/is not valid JSON/);
  });

  it('replaces the file atomically and clears it', () => {
    store.write(session);
    const inode = fs.statSync(store.file).ino;
    store.write({ ...session, token: 'tok2' });
    expect(fs.statSync(store.file).ino).not.toBe(inode); // a new file renamed over the old one
    expect(store.read()?.token).toBe('tok2');
    expect(store.clear()).toBe(true);
    expect(store.read()).toBeNull();
    expect(store.clear()).toBe(false);
  });
});
