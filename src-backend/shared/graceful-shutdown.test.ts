import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTERNAL_TOKEN_HEADER } from '../contracts/services.js';
import type { ChildMessage } from '../contracts/supervisor.js';
import { freePort } from '../testing/ports.js';
import { builtEntryDir, shortTempDir, startStack, type TestStack } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';
import { NodeHost } from '../supervisor/node-host.js';
import type { ExitInfo } from '../supervisor/process-host.js';

const dataEntry = path.join(builtEntryDir(), 'data_node.js');
const TOKEN = 'f'.repeat(64);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sandbox() {
  const socketDir = shortTempDir('csc-s-');
  const dataDir = shortTempDir('csc-d-');
  cleanups.push(() => {
    fs.rmSync(socketDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    SOCKET_DIR: socketDir,
    DATA_DIR: dataDir,
    DATA_NODE_PORT: String(port),
    INTERNAL_TOKEN: TOKEN,
  };
  return { socketPath: path.join(socketDir, 'data_node.sock'), dataDir, port, env };
}

interface Answer {
  status: number;
  body: { error?: { code: string } } & Record<string, unknown>;
}

function readAnswer(res: http.IncomingMessage): Promise<Answer> {
  return new Promise((resolve) => {
    let text = '';
    res.on('data', (d: Buffer) => (text += d.toString()));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
  });
}

function get(target: { port: number } | { socketPath: string }, urlPath: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get({ ...target, host: '127.0.0.1', path: urlPath, agent: false }, (res) => void readAnswer(res).then(resolve))
      .on('error', reject);
  });
}

describe('graceful shutdown of a real service', () => {
  it('an in-flight request completes while a new one gets 503; then exit 0 and the socket is gone', async () => {
    const box = await sandbox();
    const proc = spawn(process.execPath, [dataEntry], { env: box.env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    cleanups.push(() => void (proc.exitCode === null && proc.kill('SIGKILL')));
    await waitFor(() => get({ socketPath: box.socketPath }, '/health'), 15_000);

    // In flight: the server has the request, its body is still on the way. Any route would do:
    // with the internal token the server reads the whole body before answering, so we hold it
    // open. `Expect: 100-continue` tells us when the server has parsed the request.
    const body = JSON.stringify({ probe: 'drain' });
    const slow = http.request({
      socketPath: box.socketPath,
      method: 'POST',
      path: '/drain-probe',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(body.length),
        [INTERNAL_TOKEN_HEADER]: TOKEN,
        expect: '100-continue',
      },
    });
    const slowAnswer = new Promise<Answer>((resolve, reject) => {
      slow.on('response', (res) => void readAnswer(res).then(resolve));
      slow.on('error', reject);
    });
    slow.flushHeaders();
    await new Promise((resolve) => slow.once('continue', resolve));
    slow.write(body.slice(0, 5));
    proc.kill('SIGTERM');

    const refused = await waitFor(async () => {
      const r = await get({ port: box.port }, '/health');
      return r.status === 503 ? r : null;
    }, 10_000);
    expect(refused.body.error?.code).toBe('SHUTTING_DOWN');
    expect(proc.exitCode).toBeNull(); // still draining: it waits for our request

    slow.end(body.slice(5));
    const answer = await slowAnswer;
    expect(answer.status).toBe(404); // served by the router, not refused
    expect(answer.body.error?.code).toBe('ROUTE_NOT_FOUND');
    expect(await exited).toBe(0);
    expect(fs.existsSync(box.socketPath)).toBe(false);
  });

  it('the shutdown message alone (the Windows path) stops a child cleanly and removes its socket', async () => {
    const box = await sandbox();
    const child = new NodeHost().fork({ name: 'data_node', entry: dataEntry, env: box.env });
    cleanups.push(() => child.kill('SIGKILL'));
    const exit = new Promise<ExitInfo>((resolve) => child.onExit(resolve));
    const said: string[] = [];
    child.onOutput((o) => said.push(o.line));
    await new Promise<void>((resolve) => child.onMessage((m: ChildMessage) => m.type === 'ready' && resolve()));
    expect(fs.existsSync(box.socketPath)).toBe(true);

    child.postMessage({ type: 'shutdown' }); // no signal at all
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(said.some((l) => l.includes('shutting down (shutdown message)'))).toBe(true);
    expect(fs.existsSync(box.socketPath)).toBe(false);
  });
});

describe('stopping data_node under the supervisor', () => {
  let stack: TestStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('closes the SQLite file cleanly: the WAL is checkpointed and removed', async () => {
    const dataDir = shortTempDir('csc-d-');
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    stack = await startStack({ services: ['data_node'], dataDir });
    const dbFile = path.join(dataDir, 'course-selection.sqlite');
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(true); // open in WAL mode while it runs

    await stack.supervisor.stop('data_node');
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('-wal') || f.endsWith('-shm'))).toEqual([]);
    // SQLite deletes the WAL only after checkpointing it on the last clean close; the header
    // still says WAL (file format versions 2/2) and the file is whole.
    const header = fs.readFileSync(dbFile).subarray(0, 20);
    expect(header.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect([header[18], header[19]]).toEqual([2, 2]);
  });

  it('children that exit on their own while stopAll runs count as stopped, not crashed', async () => {
    stack = await startStack({ services: ['data_node', 'auth_node'] });
    const crashes: string[] = [];
    stack.supervisor.onCrash((c) => crashes.push(c.name));
    // what a signal to the whole process group does: every child starts shutting down at once
    for (const name of ['data_node', 'auth_node'] as const) process.kill(stack.pid(name), 'SIGTERM');
    await stack.supervisor.stopAll();
    expect(crashes).toEqual([]);
    expect(stack.supervisor.status().processes.map((p) => p.state)).toEqual(['stopped', 'stopped']);
  });
});
