import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config.js';
import { builtEntryDir, shortTempDir } from '../../../testing/stack.js';
import { waitFor } from '../../../testing/wait-for.js';
import { databaseFiles } from './data-dir.js';
import { DB_FILE_NAME, openDatabase } from './open.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempRoot(): string {
  const dir = shortTempDir('csc-p-');
  made.push(dir);
  return dir;
}
const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
function withUmask<T>(mask: number, fn: () => T): T {
  const old = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

describe('DATA_DIR and the database files are private whatever the umask', () => {
  it('creates DATA_DIR 0700 and the database, -wal and -shm 0600 under umask 000', () => {
    const dir = path.join(tempRoot(), 'data');
    withUmask(0o000, () => {
      const db = openDatabase(dir);
      db.prepare("INSERT INTO courses (code, name, capacity, credits) VALUES ('P1', 'P', 5, 1)").run();
      const files = databaseFiles(db.name);
      expect(files.map((f) => [path.basename(f), modeOf(f)])).toEqual(files.map((f) => [path.basename(f), '600']));
      db.close();
    });
    expect(modeOf(dir)).toBe('700');
  });

  it('narrows files an older version left open, and warns once about a DATA_DIR readable by others', () => {
    const dir = tempRoot();
    fs.chmodSync(dir, 0o755);
    withUmask(0o000, () => {
      const old = new Database(path.join(dir, DB_FILE_NAME));
      old.pragma('journal_mode = WAL');
      old.exec('CREATE TABLE t (x)');
      // leave -wal and -shm behind, as a crash would
      expect(databaseFiles(old.name).map(modeOf)).toEqual(['644', '644', '644']); // SQLite's default
      const warnings: string[] = [];
      const db = openDatabase(dir, { warn: (m) => warnings.push(m) });
      expect(databaseFiles(db.name).map(modeOf)).toEqual(['600', '600', '600']);
      expect(warnings).toEqual([
        `DATA_DIR ${dir} is readable by other users (mode 755); the database files in it are kept 0600, but run chmod 700 on it`,
      ]);
      db.close();
      old.close();
    });
    expect(modeOf(dir)).toBe('755'); // the owner's choice is left alone
  });

  it('refuses a DATA_DIR other users can write to, and a symlink in place of the database', () => {
    const open = tempRoot();
    fs.chmodSync(open, 0o777);
    expect(() => openDatabase(open)).toThrow(
      new ConfigError(`DATA_DIR ${open} is writable by other users (mode 777); run chmod 700 on it`),
    );
    const dir = tempRoot();
    const elsewhere = tempRoot();
    fs.symlinkSync(path.join(elsewhere, 'x.sqlite'), path.join(dir, DB_FILE_NAME));
    expect(() => openDatabase(dir)).toThrow(`${path.join(dir, DB_FILE_NAME)} is not a regular file`);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('a real data_node started under umask 000 keeps its files 0600 and runs with umask 077 (log files too)', async () => {
    const dataDir = tempRoot();
    fs.chmodSync(dataDir, 0o755);
    const socketDir = tempRoot();
    const entry = path.join(builtEntryDir(), 'data_node.js');
    const child = spawn('sh', ['-c', 'umask 000; exec "$0" "$1"', process.execPath, entry], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: os.tmpdir(),
        DATA_DIR: dataDir,
        SOCKET_DIR: socketDir,
        DATA_NODE_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const socketPath = path.join(socketDir, 'data_node.sock');
      await waitFor(
        () =>
          new Promise<boolean>((resolve) =>
            http
              .get({ socketPath, path: '/health', agent: false }, (res) => resolve(res.statusCode === 200))
              .on('error', () => resolve(false)),
          ),
        15_000,
      );
      const umask = /^Umask:\s*(\d+)/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      expect(umask).toBe('0077');
      const dbFile = path.join(dataDir, DB_FILE_NAME);
      expect(databaseFiles(dbFile).map(modeOf)).toEqual(['600', '600', '600']);
      const warnings = out.split('\n').filter((l) => l.includes('readable by other users'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 'warn', service: 'data_node' });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
