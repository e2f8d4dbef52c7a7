import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtEntryDir, shortTempDir } from '../testing/stack.js';
import { freePort } from '../testing/ports.js';
import { waitFor } from '../testing/wait-for.js';

const entry = path.join(builtEntryDir(), 'data_node.js');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const cleanup: string[] = [];
afterEach(() => {
  for (const d of cleanup.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Start the real data service and expect it to refuse: exit 78 and exactly one line on stderr. */
function startExpectingRefusal(env: Record<string, string>, uid?: number): string {
  const dataDir = shortTempDir('csc-d-');
  cleanup.push(dataDir);
  const res = spawnSync(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATA_DIR: dataDir, DATA_NODE_PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 15_000,
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  expect(res.status).toBe(78);
  const lines = res.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^data_node: /);
  return lines[0]!;
}

function health(socketPath: string): Promise<{ pid: number }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: '/health', agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(JSON.parse(text) as { pid: number }));
      })
      .on('error', reject);
  });
}

describe('start-up refusals name the problem in one line', () => {
  it('a SOCKET_DIR that is a symlink', () => {
    const real = shortTempDir('csc-r-');
    const link = `${real}-link`;
    fs.symlinkSync(real, link);
    cleanup.push(real, link);
    expect(startExpectingRefusal({ SOCKET_DIR: link })).toMatch(/is a symlink/);
  });

  it('a SOCKET_DIR open to other users', () => {
    const dir = shortTempDir('csc-o-');
    fs.chmodSync(dir, 0o755);
    cleanup.push(dir);
    expect(startExpectingRefusal({ SOCKET_DIR: dir })).toMatch(/open to other users \(mode 755\)/);
  });

  it.skipIf(!isRoot)('a SOCKET_DIR owned by another user (needs root to chown)', () => {
    const dir = shortTempDir('csc-u-');
    fs.chownSync(dir, NOBODY, NOBODY);
    cleanup.push(dir);
    expect(startExpectingRefusal({ SOCKET_DIR: dir })).toMatch(new RegExp(`owned by uid ${NOBODY}`));
  });

  it.skipIf(!isRoot)('an unwritable SOCKET_DIR (run as an unprivileged user, since root can write anywhere)', () => {
    const parent = shortTempDir('csc-p-');
    fs.chmodSync(parent, 0o755);
    const dir = path.join(parent, 's');
    fs.mkdirSync(dir, { mode: 0o500 });
    fs.chmodSync(dir, 0o500);
    fs.chownSync(dir, NOBODY, NOBODY);
    cleanup.push(parent);
    expect(startExpectingRefusal({ SOCKET_DIR: dir }, NOBODY)).toMatch(/not writable/);
  });

  describe.skipIf(!isRoot)('a folder above a private folder that another user could swap (acting as nobody)', () => {
    /** /tmp/x (owned by nobody, 0755) / inner: ours and private, but nobody can rename it away. */
    function folderUnderNobody(): { parent: string; inner: string } {
      const parent = shortTempDir('csc-n-');
      cleanup.push(parent);
      fs.chmodSync(parent, 0o755);
      fs.chownSync(parent, NOBODY, NOBODY);
      const inner = path.join(parent, 'inner');
      fs.mkdirSync(inner, { mode: 0o700 });
      // the threat is real: nobody can swap our folder for one of their own
      const swap = spawnSync(
        'sh',
        [
          '-c',
          'mv "$1/inner" "$1/old" && mkdir "$1/inner" && rmdir "$1/inner" && mv "$1/old" "$1/inner"',
          'sh',
          parent,
        ],
        {
          uid: NOBODY,
          gid: NOBODY,
        },
      );
      expect(swap.status).toBe(0);
      return { parent, inner };
    }

    it('SOCKET_DIR', () => {
      const { parent, inner } = folderUnderNobody();
      expect(startExpectingRefusal({ SOCKET_DIR: inner })).toBe(
        `data_node: SOCKET_DIR ${inner}: the folder ${parent} above it is owned by uid ${NOBODY}, not by root or this user (uid 0); refusing to start`,
      );
      expect(fs.readdirSync(inner)).toEqual([]); // no socket was made
    });

    it('SOCKET_DIR under a folder writable by everyone without the sticky bit', () => {
      const parent = shortTempDir('csc-w-');
      cleanup.push(parent);
      fs.chmodSync(parent, 0o777);
      const inner = path.join(parent, 's');
      expect(startExpectingRefusal({ SOCKET_DIR: inner })).toBe(
        `data_node: SOCKET_DIR ${inner}: the folder ${parent} above it is writable by other users (mode 777; run chmod go-w ${parent}); refusing to start`,
      );
      expect(fs.existsSync(inner)).toBe(false);
    });

    it('DATA_DIR', () => {
      const { parent, inner } = folderUnderNobody();
      const line = startExpectingRefusal({ SOCKET_DIR: shortTempDir('csc-s-'), DATA_DIR: path.join(inner, 'data') });
      expect(line).toMatch(
        `data_node: DATA_DIR ${inner}/data: the folder ${parent} above it is owned by uid ${NOBODY}`,
      );
      expect(fs.readdirSync(inner)).toEqual([]); // no database was made
    });

    it('the code-cache folder', () => {
      const { parent, inner } = folderUnderNobody();
      const line = startExpectingRefusal({ SOCKET_DIR: shortTempDir('csc-s-'), CSC_CODE_CACHE_DIR: inner });
      expect(line).toMatch(
        `data_node: CSC_CODE_CACHE_DIR ${inner}: the folder ${parent} above it is owned by uid ${NOBODY}`,
      );
    });

    it('a symlink on the way that leads under such a folder', () => {
      const { parent, inner } = folderUnderNobody();
      const safe = shortTempDir('csc-l-');
      cleanup.push(safe);
      fs.symlinkSync(inner, path.join(safe, 'link'));
      expect(startExpectingRefusal({ SOCKET_DIR: path.join(safe, 'link', 's') })).toMatch(
        `the folder ${parent} above it is owned by uid ${NOBODY}`,
      );
    });
  });

  it('a SOCKET_DIR that cannot be created', () => {
    const file = path.join(shortTempDir('csc-f-'), 'plain-file');
    fs.writeFileSync(file, 'x');
    cleanup.push(path.dirname(file));
    expect(startExpectingRefusal({ SOCKET_DIR: path.join(file, 'sockets') })).toMatch(
      /SOCKET_DIR .* (has a file where a folder should be|cannot be created)/,
    );
  });

  it('a socket path over the OS limit', () => {
    const deep = path.join(os.tmpdir(), 'x'.repeat(120));
    expect(startExpectingRefusal({ SOCKET_DIR: deep })).toMatch(/over the OS limit of 107/);
  });

  it('a port already in use', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const dir = shortTempDir('csc-s-');
      cleanup.push(dir);
      expect(startExpectingRefusal({ SOCKET_DIR: dir, DATA_NODE_PORT: String(port) })).toBe(
        `data_node: port ${port} on 127.0.0.1 is already in use (set DATA_NODE_PORT to use another)`,
      );
      expect(fs.readdirSync(dir)).toEqual([]); // the socket it had opened is gone again
    } finally {
      blocker.close();
    }
  });

  it('a second data_node on the same SOCKET_DIR: the product is already running', async () => {
    const dir = shortTempDir('csc-s-');
    const firstData = shortTempDir('csc-d-');
    cleanup.push(dir, firstData);
    const socketPath = path.join(dir, 'data_node.sock');
    const first = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: os.tmpdir(),
        DATA_DIR: firstData,
        DATA_NODE_PORT: '0',
        SOCKET_DIR: dir,
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => first.once('exit', resolve));
    try {
      const before = await waitFor(() => health(socketPath), 15_000);
      expect(before.pid).toBe(first.pid);
      expect(startExpectingRefusal({ SOCKET_DIR: dir })).toBe(
        `data_node: data_node is already running: ${socketPath} answers`,
      );
      expect((await health(socketPath)).pid).toBe(first.pid); // the first one is untouched
    } finally {
      first.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('a bad port variable', () => {
    expect(startExpectingRefusal({ SOCKET_DIR: shortTempDir('csc-s-'), DATA_NODE_PORT: 'eighty' })).toMatch(
      /DATA_NODE_PORT=eighty is not a port number/,
    );
  });
});
