import fs from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildMessage } from '../contracts/supervisor.js';
import { prepareStack, type PreparedStack } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';
import { NodeHost } from './node-host.js';
import type { ChildHandle, ProcessHost, ProcessSpec } from './process-host.js';

/** The real NodeHost, recording each fork and every message its children send, in order. */
class RecordingHost implements ProcessHost {
  readonly kind = 'node' as const;
  readonly events: string[] = [];
  readonly children = new Map<string, ChildHandle>();
  private readonly inner = new NodeHost();
  fork(spec: ProcessSpec): ChildHandle {
    const child = this.inner.fork(spec);
    this.children.set(spec.name, child);
    this.events.push(`fork ${spec.name}`);
    child.onMessage((m: ChildMessage) => this.events.push(`${m.type} ${spec.name}`));
    return child;
  }
}

const stacks: PreparedStack[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.stop();
});

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('the start gate', () => {
  it('forks ahead of the stages, data and realtime first, yet each serves only in its stage', async () => {
    const host = new RecordingHost();
    const stack = await prepareStack({ host });
    stacks.push(stack);
    const running: string[] = [];
    stack.supervisor.onStatus((s) => {
      if (s.state === 'running') running.push(s.name);
    });
    await stack.start();

    const at = (e: string) => host.events.indexOf(e);
    const names = ['data_node', 'realtime', 'auth_node', 'teacher_node', 'student_node', 'queue_node'];
    const rest = names.slice(2);
    // data and realtime fork at once; the rest once data's code is loaded, before it is ready
    expect(at('fork realtime')).toBeLessThan(at('loaded data_node'));
    for (const n of rest) {
      expect(at(`fork ${n}`)).toBeGreaterThan(at('loaded data_node'));
      expect(at(`fork ${n}`)).toBeLessThan(at('ready data_node'));
    }
    // every child reported its code loaded and then waited
    for (const n of names) expect(at(`loaded ${n}`)).toBeGreaterThan(at(`fork ${n}`));
    // stages: data ready before realtime ready, realtime before each of the rest
    expect(at('ready data_node')).toBeLessThan(at('ready realtime'));
    for (const n of rest) expect(at('ready realtime')).toBeLessThan(at(`ready ${n}`));
    expect(running.slice(0, 2)).toEqual(['data_node', 'realtime']);
    expect(new Set(running)).toEqual(new Set(names));
  });

  it('a child held at the gate has no socket, no port and no database until it is started', async () => {
    const host = new RecordingHost();
    const stack = await prepareStack({ host, services: ['data_node'] });
    stacks.push(stack);
    const proc = stack.supervisor.process('data_node');
    proc.preload();
    await waitFor(() => host.events.includes('loaded data_node'), 15_000);
    // give a child that ignored the gate ample time to listen, then look
    await new Promise((r) => setTimeout(r, 300));
    expect(fs.existsSync(stack.socketPath('data_node'))).toBe(false);
    expect(await portAnswers(stack.config.ports.data_node)).toBe(false);
    expect(fs.readdirSync(stack.config.dataDir)).toEqual([]);
    expect(proc.status().state).toBe('starting');

    await proc.start();
    expect(proc.status().state).toBe('running');
    expect(fs.existsSync(stack.socketPath('data_node'))).toBe(true);
    expect(await portAnswers(stack.config.ports.data_node)).toBe(true);
  });

  it('a held child stops at once when shut down before it was started', async () => {
    const host = new RecordingHost();
    const stack = await prepareStack({ host, services: ['data_node'] });
    stacks.push(stack);
    const proc = stack.supervisor.process('data_node');
    proc.preload();
    await waitFor(() => host.events.includes('loaded data_node'), 15_000);
    const child = host.children.get('data_node')!;
    await proc.stop();
    expect(child.exited).toBe(true);
    expect(proc.status().state).toBe('stopped');
    expect(fs.readdirSync(stack.config.dataDir)).toEqual([]);
  });

  it('a shutdown while data is still loading forks nothing more', async () => {
    const host = new RecordingHost();
    const stack = await prepareStack({ host });
    stacks.push(stack);
    const starting = stack.start().catch(() => 'stopped during start');
    await waitFor(() => host.events.includes('fork data_node'), 15_000);
    await stack.supervisor.stopAll();
    expect(await starting).toBe('stopped during start');
    await new Promise((r) => setTimeout(r, 500)); // room for a late fork to show itself
    const forks = host.events.filter((e) => e.startsWith('fork ')).sort();
    expect(forks).toEqual(['fork data_node', 'fork realtime']);
    expect([...host.children.values()].every((c) => c.exited)).toBe(true);
  });
});
