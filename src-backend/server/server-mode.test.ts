import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORT_ENV, SERVICE_NAMES, START_ORDER } from '../contracts/services.js';
import { childPids, isAlive, serverModeEnv, type ServerModeEnv } from '../testing/server-env.js';
import { builtEntryDir } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';

const serverJs = path.join(builtEntryDir(), 'server.js');

/** GET a JSON path over TCP or over a Unix socket, with a fresh connection. */
function getJson(
  target: { port: number } | { socketPath: string },
  urlPath: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ ...target, host: '127.0.0.1', path: urlPath, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
  });
}

interface RunningServer {
  readonly proc: ChildProcess;
  readonly out: { stdout: string; stderr: string };
}

/** Start server.js and wait for its status table; `detached` gives it its own process group, as a terminal would. */
async function startServer(
  env: Readonly<Record<string, string>>,
  detached = false,
  args: string[] = [],
): Promise<RunningServer> {
  const proc = spawn(process.execPath, [serverJs, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached });
  const out = { stdout: '', stderr: '' };
  proc.stdout!.on('data', (d) => (out.stdout += d.toString()));
  proc.stderr!.on('data', (d) => (out.stderr += d.toString()));
  await waitFor(() => out.stdout.includes('Press Ctrl-C') || proc.exitCode !== null, 45_000, 100);
  if (proc.exitCode !== null) throw new Error(`server exited: ${out.stderr}`);
  return { proc, out };
}

describe('npm run server (headless mode)', () => {
  let server: ChildProcess;
  let setup: ServerModeEnv;
  let stdout = '';

  beforeAll(async () => {
    setup = await serverModeEnv();
    const started = await startServer(setup.env);
    server = started.proc;
    stdout = started.out.stdout;
  });
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    setup.cleanup();
  });

  it('prints where it listens and a status table with six running processes', () => {
    expect(stdout).toContain(`console:  http://127.0.0.1:${setup.gatewayPort}`);
    const rows = stdout.split('\n').filter((l) => / running /.test(l));
    expect(rows).toHaveLength(6);
  });

  it('has every socket in place and serves the console config', async () => {
    for (const name of [...SERVICE_NAMES, 'gateway'])
      expect(fs.existsSync(path.join(setup.socketDir, `${name}.sock`))).toBe(true);
    const res = await fetch(`http://127.0.0.1:${setup.gatewayPort}/api/config`);
    expect(await res.json()).toMatchObject({ mode: 'server' });
  });

  it('proxies /api/<service>/… to the services', async () => {
    const res = await fetch(`http://127.0.0.1:${setup.gatewayPort}/api/data_node/health`);
    expect(await res.json()).toMatchObject({ status: 'healthy', service: 'data_node', transport: 'unix' });
  });

  it('every service answers /health over HTTP and over its socket', async () => {
    for (const name of SERVICE_NAMES) {
      const port = Number(setup.env[PORT_ENV[name]]);
      const overHttp = await getJson({ port }, '/health');
      const overSocket = await getJson({ socketPath: path.join(setup.socketDir, `${name}.sock`) }, '/health');
      expect([overHttp.status, overSocket.status]).toEqual([200, 200]);
      if (name === 'realtime') {
        // realtime's /health shape (streams.test.ts): no transport field, but the port it
        // reports is the one we gave it
        expect(overHttp.body).toMatchObject({ status: 'healthy', service: 'socketio', port });
        expect(overSocket.body).toMatchObject({ status: 'healthy', service: 'socketio', port });
      } else {
        expect(overHttp.body).toMatchObject({ status: 'healthy', service: name, transport: 'http' });
        expect(overSocket.body).toMatchObject({
          status: 'healthy',
          service: name,
          transport: 'unix',
          pid: overHttp.body.pid,
        });
      }
    }
  });

  it('on SIGTERM stops cleanly: exit 0, no socket files, no orphan processes', async () => {
    const children = childPids(server.pid!);
    expect(children.length).toBeGreaterThanOrEqual(6);
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.readdirSync(setup.socketDir).filter((f) => f.endsWith('.sock'))).toEqual([]);
    await waitFor(() => children.every((p) => !isAlive(p)), 5000);
    expect(children.filter(isAlive)).toEqual([]);
  });
});

describe('Ctrl-C in a terminal (SIGINT to the whole process group)', () => {
  it('stops every service once, data last: exit 0, no sockets, no orphans, nothing reported crashed', async () => {
    const setup = await serverModeEnv();
    const { proc, out } = await startServer(setup.env, true, ['--verbose']);
    try {
      const children = childPids(proc.pid!);
      expect(children.length).toBeGreaterThanOrEqual(6);
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      process.kill(-proc.pid!, 'SIGINT'); // what the terminal does: the server and every child at once
      expect(await exited).toBe(0);
      expect(out.stderr).toContain('all services stopped');
      expect(out.stderr).not.toMatch(/crashed|restarting/);
      // each child was stopped by the supervisor (message or SIGTERM), not by the group's SIGINT
      const stopped = [...out.stderr.matchAll(/^\[(\w+)\] info: \w+ shutting down \((.+)\)$/gm)];
      expect(stopped.map((m) => m[2]).filter((why) => why !== 'shutdown message' && why !== 'SIGTERM')).toEqual([]);
      expect(stopped.map((m) => m[1])).toEqual([...START_ORDER].reverse());
      expect(fs.readdirSync(setup.socketDir).filter((f) => f.endsWith('.sock'))).toEqual([]);
      await waitFor(() => children.every((p) => !isAlive(p)), 5000);
      expect(children.filter(isAlive)).toEqual([]);
    } finally {
      if (proc.exitCode === null) process.kill(-proc.pid!, 'SIGKILL');
      setup.cleanup();
    }
  });
});

describe('SIGTERM while the services are still starting', () => {
  it('stops cleanly as well: exit 0, no error line, no sockets, no orphans', async () => {
    const setup = await serverModeEnv();
    const proc = spawn(process.execPath, [serverJs], { env: setup.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    proc.stdout!.on('data', (d) => (out.stdout += d.toString()));
    proc.stderr!.on('data', (d) => (out.stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    try {
      // the gateway answers before the supervisor has started everything
      await waitFor(async () => (await fetch(`http://127.0.0.1:${setup.gatewayPort}/api/config`)).ok, 30_000, 20);
      const children = childPids(proc.pid!);
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(out.stderr).not.toMatch(/^server: /m);
      expect(out.stderr).toContain('all services stopped');
      expect(fs.readdirSync(setup.socketDir).filter((f) => f.endsWith('.sock'))).toEqual([]);
      await waitFor(() => children.every((p) => !isAlive(p)), 5000);
    } finally {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      setup.cleanup();
    }
  });
});

describe('server start-up problems', () => {
  it('a taken gateway port is one line naming it, and nothing is left running', async () => {
    const setup = await serverModeEnv();
    const blocker = net.createServer().listen(setup.gatewayPort, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const res = spawnSync(process.execPath, [serverJs], { env: setup.env, encoding: 'utf8', timeout: 20_000 });
      expect(res.status).toBe(78);
      expect(res.stderr.trim()).toBe(
        `server: port ${setup.gatewayPort} on 127.0.0.1 is already in use (set GATEWAY_PORT to use another)`,
      );
      expect(fs.readdirSync(setup.socketDir)).toEqual([]);
    } finally {
      blocker.close();
      setup.cleanup();
    }
  });
});
