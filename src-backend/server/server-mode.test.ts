import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../contracts/services.js';
import { builtEntryDir, shortTempDir } from '../testing/stack.js';
import { freePorts } from '../testing/ports.js';
import { waitFor } from '../testing/wait-for.js';

const serverJs = path.join(builtEntryDir(), 'server.js');

async function serverEnv() {
  const ports = await freePorts(7);
  const socketDir = shortTempDir('csc-s-');
  const dataDir = shortTempDir('csc-d-');
  return {
    socketDir,
    dataDir,
    gatewayPort: ports[6]!,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      SOCKET_DIR: socketDir,
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'server-mode-test-Passw0rd!',
      DATA_NODE_PORT: String(ports[0]),
      AUTH_NODE_PORT: String(ports[1]),
      TEACHER_NODE_PORT: String(ports[2]),
      STUDENT_NODE_PORT: String(ports[3]),
      QUEUE_NODE_PORT: String(ports[4]),
      SOCKETIO_PORT: String(ports[5]),
      GATEWAY_PORT: String(ports[6]),
    },
  };
}

function childPids(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run server (headless mode)', () => {
  let server: ChildProcess;
  let setup: Awaited<ReturnType<typeof serverEnv>>;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    setup = await serverEnv();
    server = spawn(process.execPath, [serverJs], { env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d) => (stdout += d.toString()));
    server.stderr!.on('data', (d) => (stderr += d.toString()));
    await waitFor(() => stdout.includes('Press Ctrl-C') || server.exitCode !== null, 45_000, 100);
    if (server.exitCode !== null) throw new Error(`server exited: ${stderr}`);
  });
  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(setup.socketDir, { recursive: true, force: true });
    fs.rmSync(setup.dataDir, { recursive: true, force: true });
  });

  it('prints where it listens and a status table with six running processes', () => {
    expect(stdout).toContain(`console:  http://127.0.0.1:${setup.gatewayPort}`);
    const rows = stdout.split('\n').filter((l) => / running /.test(l));
    expect(rows).toHaveLength(6);
  });

  it('has every socket in place and serves the console config', async () => {
    for (const name of [...SERVICE_NAMES, 'gateway']) expect(fs.existsSync(path.join(setup.socketDir, `${name}.sock`))).toBe(true);
    const res = await fetch(`http://127.0.0.1:${setup.gatewayPort}/api/config`);
    expect(await res.json()).toMatchObject({ mode: 'server' });
  });

  it('proxies /api/<service>/… to the services', async () => {
    const res = await fetch(`http://127.0.0.1:${setup.gatewayPort}/api/data_node/health`);
    expect(await res.json()).toMatchObject({ status: 'healthy', service: 'data_node', transport: 'unix' });
  });

  it('on SIGTERM stops cleanly: exit 0, no socket files, no orphan processes', async () => {
    const children = childPids(server.pid!);
    expect(children.length).toBeGreaterThanOrEqual(6);
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.readdirSync(setup.socketDir).filter((f) => f.endsWith('.sock'))).toEqual([]);
    await waitFor(() => children.every((p) => !alive(p)), 5000);
    expect(children.filter(alive)).toEqual([]);
  });
});

describe('server start-up problems', () => {
  it('a taken gateway port is one line naming it, and nothing is left running', async () => {
    const setup = await serverEnv();
    const blocker = net.createServer().listen(setup.gatewayPort, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const res = spawnSync(process.execPath, [serverJs], { env: setup.env, encoding: 'utf8', timeout: 20_000 });
      expect(res.status).toBe(78);
      expect(res.stderr.trim()).toBe(`server: port ${setup.gatewayPort} on 127.0.0.1 is already in use (set GATEWAY_PORT to use another)`);
      expect(fs.readdirSync(setup.socketDir)).toEqual([]);
    } finally {
      blocker.close();
      fs.rmSync(setup.socketDir, { recursive: true, force: true });
      fs.rmSync(setup.dataDir, { recursive: true, force: true });
    }
  });
});
