import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ChildMessage } from '../contracts/supervisor.js';
import { isAlive } from '../testing/server-env.js';
import { prepareStack, shortTempDir, type PreparedStack } from '../testing/stack.js';
import { freePort } from '../testing/ports.js';
import { waitFor } from '../testing/wait-for.js';
import { NodeHost } from './node-host.js';
import type { ChildHandle, ExitInfo, ProcessHost, ProcessSpec } from './process-host.js';

const fixture = (name: string) => path.resolve('src-backend/supervisor/fixtures', name);

/** The real NodeHost, counting what it forks. */
class CountingHost implements ProcessHost {
  readonly kind = 'node' as const;
  readonly forked: ChildHandle[] = [];
  private readonly inner = new NodeHost();
  fork(spec: ProcessSpec): ChildHandle {
    const child = this.inner.fork(spec);
    this.forked.push(child);
    return child;
  }
}

const stacks: PreparedStack[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.stop();
});
async function prepare(...args: Parameters<typeof prepareStack>): Promise<PreparedStack> {
  const s = await prepareStack(...args);
  stacks.push(s);
  return s;
}

describe('a crash loop', () => {
  it('ends in errored after 10 unstable restarts, and nothing is forked after that', async () => {
    const host = new CountingHost();
    const stack = await prepare({
      services: ['data_node'],
      entries: { data_node: fixture('crash-on-start.mjs') },
      backoff: { initialMs: 5, maxMs: 20, maxUnstableRestarts: 10 },
      host,
    });
    const crashes: Array<number | null> = [];
    stack.supervisor.onCrash((c) => crashes.push(c.restartInMs));
    await expect(stack.start()).rejects.toThrow(/crashed 10 times in a row \(exited with code 3\); gave up/);

    const status = stack.supervisor.status().processes[0]!;
    expect(status).toMatchObject({ name: 'data_node', state: 'errored', restarts: 10, pid: null });
    expect(host.forked).toHaveLength(11); // the first start and 10 restarts
    expect(crashes).toHaveLength(11);
    expect(crashes.at(-1)).toBeNull(); // the last crash announced no restart
    expect(host.forked.every((c) => c.exited)).toBe(true);
    // several of the largest backoff steps later, still nothing new
    await new Promise((r) => setTimeout(r, 300));
    expect(host.forked).toHaveLength(11);
    expect(stack.supervisor.status().processes[0]!.state).toBe('errored');
  });
});

describe('a child that never says ready', () => {
  it('is killed at the ready timeout, restarted, and given up on', async () => {
    const host = new CountingHost();
    const stack = await prepare({
      services: ['data_node'],
      entries: { data_node: fixture('never-ready.mjs') },
      readyTimeoutMs: 400,
      backoff: { initialMs: 5, maxMs: 20, maxUnstableRestarts: 2 },
      host,
    });
    const exits: ExitInfo[] = [];
    stack.supervisor.onCrash((c) => exits.push(c.exit));
    await expect(stack.start()).rejects.toThrow(
      /crashed 2 times in a row \(did not become ready within 400 ms\); gave up/,
    );
    expect(host.forked).toHaveLength(3);
    expect(exits).toEqual([1, 2, 3].map(() => ({ code: null, signal: 'SIGKILL' })));
    expect(stack.supervisor.status().processes[0]).toMatchObject({ state: 'errored', restarts: 2 });
  });
});

describe('a child that ignores SIGTERM and the shutdown message', () => {
  it('stop() waits for the deadline, then kills it', async () => {
    const stack = await prepare({
      services: ['data_node'],
      entries: { data_node: fixture('ignore-sigterm.mjs') },
      stopTimeoutMs: 500,
    });
    await stack.start();
    const pid = stack.pid('data_node');
    await stack.supervisor.stop('data_node');
    expect(isAlive(pid)).toBe(false);
    expect(stack.supervisor.status().processes[0]).toMatchObject({ state: 'stopped', pid: null });
    // it did get both requests and refused them; the kill is what ended it
    const said = stack.supervisor.recentLogs(50, { service: 'data_node' }).map((l) => l.msg);
    expect(said).toContain('ignore-sigterm: got SIGTERM, ignoring it');
    expect(said).toContain('ignore-sigterm: got {"type":"shutdown"}, ignoring it');
  });

  it('waitForExit races the exit against the timeout and kills when the timeout wins', async () => {
    const socketDir = shortTempDir('csc-s-');
    onTestFinished(() => fs.rmSync(socketDir, { recursive: true, force: true }));
    const child = new NodeHost().fork({
      name: 'data_node',
      entry: fixture('ignore-sigterm.mjs'),
      env: { PATH: process.env.PATH ?? '', SOCKET_DIR: socketDir, DATA_NODE_PORT: String(await freePort()) },
    });
    const exit = new Promise<ExitInfo>((resolve) => child.onExit(resolve));
    await new Promise<void>((resolve) => child.onMessage((m: ChildMessage) => m.type === 'ready' && resolve()));
    const said: string[] = [];
    child.onOutput((o) => said.push(o.line));
    child.kill('SIGTERM');
    await waitFor(() => said.includes('ignore-sigterm: got SIGTERM, ignoring it'));
    expect(child.exited).toBe(false);
    expect(await child.waitForExit(300)).toBe(false); // false: it did not leave by itself
    expect(await exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await child.waitForExit(300)).toBe(true); // already gone: answers at once
  });
});
