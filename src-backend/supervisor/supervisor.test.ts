import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';

describe('supervisor over real processes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ services: ['data_node'] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('starts data_node and reports it running over the socket', () => {
    const s = stack.supervisor.status();
    expect(s.overall).toBe('healthy');
    const data = s.processes[0]!;
    expect(data).toMatchObject({ name: 'data_node', state: 'running', transport: 'unix' });
    expect(data.pid).toBeGreaterThan(0);
  });

  it('measures memory and health latency on its health interval', async () => {
    const data = await waitFor(() => {
      const p = stack.supervisor.status().processes[0]!;
      return p.rssBytes !== null && p.healthLatencyMs !== null ? p : null;
    }, 5000);
    expect(data.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(data.healthLatencyMs).toBeGreaterThan(0);
    expect(data.uptimeMs).toBeGreaterThan(0);
  });

  it('stops and starts one process on request', async () => {
    await stack.supervisor.stop('data_node');
    expect(stack.supervisor.status()).toMatchObject({ overall: 'down', processes: [{ state: 'stopped', pid: null }] });
    expect(fs.existsSync(stack.socketPath('data_node'))).toBe(false);
    await stack.supervisor.start('data_node');
    expect(stack.supervisor.status().processes[0]).toMatchObject({ state: 'running', transport: 'unix' });
  });

  it('answers /health on both transports', async () => {
    const overSocket = await stack.client.request<{ transport: string; pid: number }>('GET', 'data_node', '/health');
    expect(overSocket).toMatchObject({ statusCode: 200, transport: 'unix' });
    expect(overSocket.body.transport).toBe('unix');
    const res = await fetch(`${stack.httpUrl('data_node')}/health`);
    const body = (await res.json()) as { transport: string; pid: number; service: string };
    expect(body).toMatchObject({
      status: 'healthy',
      service: 'data_node',
      transport: 'http',
      pid: overSocket.body.pid,
    });
  });

  it('keeps the socket 0600 inside a 0700 folder', () => {
    const sock = fs.statSync(stack.socketPath('data_node'));
    expect(sock.isSocket()).toBe(true);
    expect(sock.mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(stack.socketPath('data_node'))).mode & 0o777).toBe(0o700);
  });

  it('falls back to HTTP when the socket file is removed', async () => {
    fs.rmSync(stack.socketPath('data_node'));
    // The client looks at the socket file at most once a second (not a stat per call).
    const res = await waitFor(async () => {
      const r = await stack.client.request<{ transport: string }>('GET', 'data_node', '/health');
      return r.transport === 'http' ? r : null;
    }, 3000);
    expect(res.statusCode).toBe(200);
    expect(res.transport).toBe('http');
    expect(res.body.transport).toBe('http');
    // put the socket back for the tests below
    await stack.supervisor.restart('data_node');
    expect(fs.existsSync(stack.socketPath('data_node'))).toBe(true);
  });

  it('restarts a child killed with SIGKILL; it answers again with a new pid', async () => {
    const before = stack.pid('data_node');
    const restartsBefore = stack.supervisor.status().processes[0]!.restarts;
    process.kill(before, 'SIGKILL');
    await waitFor(() => {
      const p = stack.supervisor.status().processes[0]!;
      return p.state === 'running' && p.pid !== before ? p : null;
    }, 10_000);
    const after = stack.pid('data_node');
    expect(after).not.toBe(before);
    expect(stack.supervisor.status().processes[0]!.restarts).toBe(restartsBefore + 1);
    const res = await stack.client.request<{ pid: number }>('GET', 'data_node', '/health');
    expect(res.body.pid).toBe(after);
  });

  it('a stop goes stopping → stopped and is never reported as a crash', async () => {
    const states: string[] = [];
    const crashes: string[] = [];
    const subs = [
      stack.supervisor.onStatus((p) => states.push(p.state)),
      stack.supervisor.onCrash((c) => crashes.push(c.name)),
    ];
    await stack.supervisor.stop('data_node');
    await stack.supervisor.start('data_node');
    subs.forEach((d) => d.dispose());
    expect(states).toEqual(['stopping', 'stopped', 'starting', 'running']);
    expect(crashes).toEqual([]);
  });

  it('a start asked for while a stop is under way begins once the stop is done', async () => {
    const before = stack.pid('data_node');
    const stopping = stack.supervisor.stop('data_node');
    expect(stack.supervisor.status().processes[0]!.state).toBe('stopping');
    await stack.supervisor.start('data_node');
    await stopping;
    expect(stack.supervisor.status().processes[0]).toMatchObject({ state: 'running' });
    expect(stack.pid('data_node')).not.toBe(before);
  });

  it('a service stopped outside the supervisor (SIGTERM to it alone) comes back, not reported as crashed', async () => {
    const before = stack.pid('data_node');
    const crashes: string[] = [];
    const sub = stack.supervisor.onCrash((c) => crashes.push(c.name));
    process.kill(before, 'SIGTERM');
    const back = await waitFor(() => {
      const p = stack.supervisor.status().processes[0]!;
      return p.state === 'running' && p.pid !== before ? p : null;
    }, 10_000);
    sub.dispose();
    expect(crashes).toEqual([]);
    expect(back.lastError).toBeNull();
    const said = stack.supervisor.recentLogs(500, { service: 'data_node' }).map((l) => l.msg);
    expect(said).toContain('data_node got SIGTERM: asking the supervisor to stop it in turn');
  });

  it('fans child logs into the ring buffer', () => {
    const lines = stack.supervisor.recentLogs(100, { service: 'data_node' });
    expect(lines.some((l) => l.msg.includes('listening on'))).toBe(true);
    expect(lines.every((l) => typeof l.time === 'string' && l.level.length > 0)).toBe(true);
  });
});
