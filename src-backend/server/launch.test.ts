import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { INTERNAL_TOKEN_HEADER } from '../contracts/services.js';
import { freePorts } from '../testing/ports.js';
import { builtEntryDir, shortTempDir } from '../testing/stack.js';
import { NodeHost } from '../supervisor/node-host.js';
import { createBackend, type Backend } from './launch.js';

const backends: Backend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function backend(extra: Record<string, string> = {}): Promise<Backend> {
  const socketDir = shortTempDir('csc-s-');
  const dataDir = shortTempDir('csc-d-');
  dirs.push(socketDir, dataDir);
  const [dataPort] = await freePorts(1);
  const b = createBackend({
    host: new NodeHost(),
    entryDir: builtEntryDir(),
    env: {
      PATH: process.env.PATH ?? '',
      SOCKET_DIR: socketDir,
      DATA_DIR: dataDir,
      DATA_NODE_PORT: String(dataPort),
      ...extra,
    },
  });
  backends.push(b);
  return b;
}

describe('the per-launch internal token', () => {
  it('is generated when INTERNAL_TOKEN is not given: 256 random bits, new on every launch', async () => {
    const [a, b] = [await backend(), await backend()];
    expect(a.config.internalToken).toMatch(/^[0-9a-f]{64}$/);
    expect(b.config.internalToken).toMatch(/^[0-9a-f]{64}$/);
    expect(a.config.internalToken).not.toBe(b.config.internalToken);
  });

  it('is kept when given (services on other hosts must share it)', async () => {
    const given = 'g'.repeat(48);
    expect((await backend({ INTERNAL_TOKEN: given })).config.internalToken).toBe(given);
  });

  it('reaches the children: a started data_node takes calls with it and refuses them without', async () => {
    const b = await backend();
    await b.supervisor.start('data_node');
    // data_node checks the token on every route before routing: 404 means it was let in
    const withToken = await b.client.request<{ error: { code: string } }>('GET', 'data_node', '/no-such-route');
    expect(withToken.statusCode).toBe(404);
    const without = await b.client.request<{ error: { code: string } }>(
      'GET',
      'data_node',
      '/no-such-route',
      undefined,
      {
        internal: false,
      },
    );
    expect(without.statusCode).toBe(401);
    const wrong = await b.client.request('GET', 'data_node', '/no-such-route', undefined, {
      internal: false,
      headers: { [INTERNAL_TOKEN_HEADER]: 'x'.repeat(64) },
    });
    expect(wrong.statusCode).toBe(401);
  });
});
