import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthUser } from '../contracts/auth.js';
import { freePortEnv } from '../testing/ports.js';
import { builtEntryDir, shortTempDir } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';
import { makeHome, oneErrorLine, runCli } from './testing/run-cli.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

/**
 * The CLI against `npm run server` (all six services under the supervisor, plus the gateway on
 * its port and on $SOCKET_DIR/gateway.sock): the supervisor's view for status, and --url over
 * the gateway's /api/<service>/… proxy.
 */
const ADMIN_PASSWORD = 'gateway-boss-Passw0rd!';
let server: ChildProcess;
let serverOut = '';
let env: Record<string, string>;
let socketDir: string;
let dataDir: string;
let gatewayUrl: string;
const homes: string[] = [];
function home(): string {
  const h = makeHome();
  homes.push(h);
  return h;
}

beforeAll(async () => {
  socketDir = shortTempDir('csc-s-');
  dataDir = shortTempDir('csc-d-');
  const portEnv = await freePortEnv();
  env = {
    SOCKET_DIR: socketDir,
    ...portEnv.env,
    NO_COLOR: '1',
  };
  gatewayUrl = `http://127.0.0.1:${portEnv.ports.gateway}`;
  server = spawn(process.execPath, [path.join(builtEntryDir(), 'server.js')], {
    env: { PATH: process.env.PATH ?? '', HOME: dataDir, DATA_DIR: dataDir, ADMIN_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d: Buffer) => (serverOut += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (serverOut += d.toString()));
  await waitFor(() => serverOut.includes('Press Ctrl-C') || server.exitCode !== null, 75_000, 100);
  if (server.exitCode !== null) throw new Error(`server exited: ${serverOut}`);
});
afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(socketDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

const LABELS = ['Data Node', 'Realtime', 'Auth Node', 'Teacher Node', 'Student Node', 'Queue Node'];

describe('course-cli with npm run server', () => {
  it('status without a session probes every service over its socket', async () => {
    const run = await runCli(['status'], { home: home(), env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^System Status:\n/);
    expect(run.stdout).toMatch(/\nSource: health probes, local sockets\n$/);
    for (const label of LABELS) expect(run.stdout).toMatch(new RegExp(`● ${label}: online +\\(unix, [\\d.]+ ms\\)\n`));
  });

  it('status signed in shows the supervisor’s view through gateway.sock: state, pid, transport, latency', async () => {
    const h = home();
    expect(
      (await runCli(['user', 'login', '--username', 'admin'], { home: h, env, input: `${ADMIN_PASSWORD}\n` })).code,
    ).toBe(0);
    const run = await runCli(['status'], { home: h, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^System Status:\n/);
    expect(run.stdout).toMatch(/\nSource: supervisor, local sockets\n$/);
    for (const label of LABELS)
      expect(run.stdout).toMatch(new RegExp(`● ${label}: running +\\(unix, [\\d.]+ ms, pid \\d+[,)]`));
    const json = JSON.parse((await runCli(['status', '--json'], { home: h, env })).stdout) as {
      source: string;
      processes: { name: string; state: string; pid: number }[];
    };
    expect(json.source).toBe('supervisor');
    expect(json.processes).toHaveLength(6);
    // the pids are the live children of the server
    for (const p of json.processes) expect(() => process.kill(p.pid, 0)).not.toThrow();
  });

  it('--url at the gateway works through /api/<service>/…: login, add, list, status', async () => {
    const h = home();
    const remote = { ...env, COURSE_CLI_URL: gatewayUrl, SOCKET_DIR: '/nonexistent' };
    const login = await runCli(['user', 'login', '--username', 'admin'], {
      home: h,
      env: remote,
      input: `${ADMIN_PASSWORD}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    const add = await runCli(
      ['user', 'add-teacher', '--username', 'gwteach', '--name', 'Gate Way', '--email', 'gw@example.com'],
      { home: h, env: remote },
    );
    expect(add.code, add.stderr).toBe(0);
    const list = await runCli(['user', 'list', '--user-type', 'teacher', '--json'], { home: h, env: remote });
    expect((JSON.parse(list.stdout) as AuthUser[]).map((u) => u.username)).toContain('gwteach');
    const status = await runCli(['status'], { home: h, env: remote });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`Source: supervisor, ${gatewayUrl}`);
    expect(status.stdout.match(/● .*: running +\(/g)).toHaveLength(6);
  });

  it('status shows a crashed process coming back, with its restart count', async () => {
    const h = home();
    expect(
      (await runCli(['user', 'login', '--username', 'admin'], { home: h, env, input: `${ADMIN_PASSWORD}\n` })).code,
    ).toBe(0);
    type Status = { processes: { name: string; state: string; pid: number; restarts: number }[] };
    const queue = async () =>
      (JSON.parse((await runCli(['status', '--json'], { home: h, env })).stdout) as Status).processes.find(
        (p) => p.name === 'queue_node',
      )!;
    const before = await queue();
    process.kill(before.pid, 'SIGKILL');
    const after = await waitFor(
      async () => {
        const q = await queue();
        return q.state === 'running' && q.pid !== before.pid ? q : null;
      },
      30_000,
      200,
    );
    expect(after.restarts).toBe(before.restarts + 1);
    const table = await runCli(['status'], { home: h, env });
    expect(table.stdout).toMatch(
      new RegExp(
        `● Queue Node: running +\\(unix, [\\d.]+ ms, pid ${after.pid}, ${after.restarts} restart${after.restarts === 1 ? '' : 's'}[,)]`,
        'm',
      ),
    );
  });

  it('process stop / start / restart go through the supervisor: stopped, then running with a new pid', async () => {
    const h = home();
    const login = await runCli(['user', 'login', '--username', 'admin'], {
      home: h,
      env,
      input: `${ADMIN_PASSWORD}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    type Proc = { name: string; state: string; pid: number | null; restarts: number };
    const teacher = async () =>
      (
        JSON.parse((await runCli(['status', '--json'], { home: h, env })).stdout) as { processes: Proc[] }
      ).processes.find((p) => p.name === 'teacher_node')!;
    const before = await teacher();
    expect(before.state).toBe('running');

    const stop = await runCli(['process', 'stop', 'teacher_node'], { home: h, env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toBe('✔ Teacher Node (teacher_node) stopped\n');
    const stopped = await runCli(['status'], { home: h, env });
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/\n {2}● Teacher Node: stopped\n/);
    expect(stopped.stdout.match(/: running +\(/g)).toHaveLength(5);
    expect(oneErrorLine(stopped)).toBe('error: 1 of 6 processes are not running');
    expect(() => process.kill(before.pid!, 0)).toThrow(); // the old process is really gone

    const start = await runCli(['process', 'start', 'teacher_node', '--json'], { home: h, env });
    expect(start.code, start.stderr).toBe(0);
    const started = JSON.parse(start.stdout) as Proc;
    expect(started).toMatchObject({ name: 'teacher_node', state: 'running' });
    expect(started.pid).not.toBe(before.pid);
    expect(await teacher()).toMatchObject({ state: 'running', pid: started.pid });

    // restart through the gateway's HTTP port (--url), with a session from there
    const remote = { ...env, COURSE_CLI_URL: gatewayUrl, SOCKET_DIR: '/nonexistent' };
    const hr = home();
    expect(
      (await runCli(['user', 'login', '--username', 'admin'], { home: hr, env: remote, input: `${ADMIN_PASSWORD}\n` }))
        .code,
    ).toBe(0);
    const restart = await runCli(['process', 'restart', 'teacher_node'], { home: hr, env: remote });
    expect(restart.code, restart.stderr).toBe(0);
    const pid = Number(/^✔ Teacher Node \(teacher_node\) restarted: running, pid (\d+)\n$/.exec(restart.stdout)?.[1]);
    expect(pid).not.toBe(started.pid);
    expect(await teacher()).toMatchObject({ state: 'running', pid, restarts: started.restarts + 1 });
  });

  it('process needs an admin session, and a session from the gateway is not sent to one service', async () => {
    const none = await runCli(['process', 'restart', 'queue_node'], { home: home(), env });
    expect(none.code).toBe(1);
    expect(oneErrorLine(none)).toBe('error: not logged in: run course-cli user login');
    const h = home();
    const url = `http://127.0.0.1:${env.AUTH_NODE_PORT}`;
    expect(
      (
        await runCli(['--url', url, 'user', 'login', '--username', 'admin'], {
          home: h,
          env,
          input: `${ADMIN_PASSWORD}\n`,
        })
      ).code,
    ).toBe(0);
    const run = await runCli(['--url', url, 'process', 'restart', 'queue_node'], { home: h, env });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe(
      `error: ${url} is auth_node only; process commands need the gateway: point --url at it (port 8000)`,
    );
  });

  it('once the server stops, the same commands say the services are not running', async () => {
    const h = home();
    expect(
      (await runCli(['user', 'login', '--username', 'admin'], { home: h, env, input: `${ADMIN_PASSWORD}\n` })).code,
    ).toBe(0);
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    const status = await runCli(['status'], { home: h, env });
    expect(status.code).toBe(1);
    expect(oneErrorLine(status)).toBe('error: services not running: start them with npm run server');
    const op = await runCli(['process', 'restart', 'queue_node'], { home: h, env });
    expect(op.code).toBe(1);
    expect(oneErrorLine(op)).toBe(
      `error: no supervisor reachable: start the services with npm run server (no gateway answers at 127.0.0.1:${env.GATEWAY_PORT}: ECONNREFUSED)`,
    );
    const list = await runCli(['user', 'list', '--user-type', 'student'], { home: h, env });
    expect(list.code).toBe(1);
    expect(oneErrorLine(list)).toBe(
      'error: services not running: start them with npm run server (auth_node did not answer)',
    );
  });
});
