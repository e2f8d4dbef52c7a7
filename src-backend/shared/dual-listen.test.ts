import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../testing/ports.js';
import { shortTempDir } from '../testing/stack.js';
import { ConfigError } from './config.js';
import { createBaseApp, type App } from './create-app.js';
import { listenDual, type Listening } from './dual-listen.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = shortTempDir('csc-l-');
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function listenAt(socketPath: string): Promise<{ app: App; listening: Listening }> {
  const app = createBaseApp({ service: 'teacher_node' });
  cleanups.push(() => app.close());
  const listening = await listenDual(app, {
    service: 'teacher_node',
    host: '127.0.0.1',
    port: await freePort(),
    portEnv: 'TEACHER_NODE_PORT',
    socketPath,
  });
  cleanups.push(() => listening.close());
  return { app, listening };
}

function listening(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve) => server.listen(socketPath, resolve));
}

function healthOver(socketPath: string): Promise<{ transport: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath, path: '/health', agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(JSON.parse(text) as { transport: string }));
      })
      .on('error', reject);
  });
}

describe('listenDual and a socket file already at the path', () => {
  it('removes a dead socket file (its server closed without unlinking it) and starts', async () => {
    const dir = tempDir();
    const socketPath = path.join(dir, 'teacher_node.sock');
    // Node unlinks a socket file when its server closes, as a crash would not: listen elsewhere,
    // move the file into place, then close, which leaves a socket file nothing answers on.
    const old = net.createServer();
    await listening(old, path.join(dir, 'old.sock'));
    fs.renameSync(path.join(dir, 'old.sock'), socketPath);
    await new Promise((r) => old.close(r));
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    await expect(healthOver(socketPath)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await listenAt(socketPath);
    expect(await healthOver(socketPath)).toMatchObject({ transport: 'unix' });
  });

  it('refuses to start when a live process answers on the socket: already running', async () => {
    const dir = tempDir();
    const socketPath = path.join(dir, 'teacher_node.sock');
    let connections = 0;
    const live = net.createServer((c) => {
      connections++;
      c.end();
    });
    await listening(live, socketPath);
    cleanups.push(() => new Promise<void>((r) => live.close(() => r())));

    const err = (await listenAt(socketPath).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`teacher_node is already running: ${socketPath} answers`);
    expect(connections).toBe(1); // it knocked once
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true); // and left the live socket alone
    expect(live.listening).toBe(true);
  });

  it('refuses a regular file at the socket path and leaves it untouched', async () => {
    const dir = tempDir();
    const socketPath = path.join(dir, 'teacher_node.sock');
    fs.writeFileSync(socketPath, 'not a socket');
    await expect(listenAt(socketPath)).rejects.toThrow(
      new ConfigError(`${socketPath} exists and is not a socket; remove it or change SOCKET_DIR`),
    );
    expect(fs.readFileSync(socketPath, 'utf8')).toBe('not a socket');
  });
});
