import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES, START_ORDER } from '../contracts/services.js';
import { startStack, type TestStack } from '../testing/stack.js';

describe('USE_SOCKETS=false: a real stack of all six over HTTP only', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ useSockets: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('creates no socket files', () => {
    expect(fs.readdirSync(stack.config.socketDir).filter((f) => f.endsWith('.sock'))).toEqual([]);
    for (const name of SERVICE_NAMES) expect(fs.existsSync(stack.socketPath(name))).toBe(false);
  });

  it('reports transport http for every process', () => {
    const status = stack.supervisor.status();
    expect(status.overall).toBe('healthy');
    expect(status.processes.map((p) => [p.name, p.state, p.transport])).toEqual(
      START_ORDER.map((n) => [n, 'running', 'http']),
    );
  });

  it('answers over HTTP, and the services see an HTTP caller', async () => {
    for (const name of SERVICE_NAMES.filter((n) => n !== 'realtime')) {
      const res = await stack.client.request<{ transport: string; service: string }>('GET', name, '/health');
      expect(res).toMatchObject({ statusCode: 200, transport: 'http', body: { service: name, transport: 'http' } });
    }
    const realtime = await stack.client.request<{ port: number }>('GET', 'realtime', '/health');
    expect(realtime).toMatchObject({ statusCode: 200, transport: 'http', body: { port: stack.config.ports.realtime } });
  });
});
