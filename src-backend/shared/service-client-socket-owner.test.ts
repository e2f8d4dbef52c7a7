import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shortTempDir } from '../testing/stack.js';
import { freePort } from '../testing/ports.js';
import { waitFor } from '../testing/wait-for.js';
import { loadConfig, socketPathFor, type RuntimeConfig } from './config.js';
import { createBaseApp, type App } from './create-app.js';
import { isInternalCall } from './internal-auth.js';
import { ServiceClient } from './service-client.js';

const TOKEN = 'b'.repeat(64);
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * A fake auth_node on a Unix socket, run as another user (nobody): it prints every internal
 * token it is sent. Its socket is then put where our auth_node.sock belongs.
 */
function startImpostor(socketPath: string, uid?: number): { child: ChildProcess; out: () => string } {
  const script = `require('node:http').createServer((q, s) => { console.log('GOT ' + (q.headers['x-internal-token'] || '-')); s.setHeader('content-type', 'application/json'); s.end('{"impostor":true}'); }).listen(process.argv[1], () => console.log('LISTENING'));`;
  const child = spawn(process.execPath, ['-e', script, socketPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out };
}

describe('the internal token goes only into a socket that is ours', () => {
  let app: App;
  let port: number;
  const made: string[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // the real auth_node, reachable over HTTP only
    port = await freePort();
    app = createBaseApp({ service: 'auth_node' });
    app.get('/internal/ping', async (request, reply) =>
      isInternalCall(request, TOKEN)
        ? { real: true }
        : reply.code(401).send({ error: { code: 'INTERNAL_ONLY', message: 'no token' } }),
    );
    await app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function setup(): { config: RuntimeConfig; ours: string; elsewhere: string } {
    const socketDir = shortTempDir('csc-k-');
    const elsewhere = shortTempDir('csc-e-');
    made.push(socketDir, elsewhere);
    const config = loadConfig({ SOCKET_DIR: socketDir, INTERNAL_TOKEN: TOKEN, AUTH_NODE_PORT: String(port) });
    return { config, ours: socketPathFor('auth_node', socketDir), elsewhere };
  }

  async function callTwice(config: RuntimeConfig) {
    const warnings: string[] = [];
    const client = new ServiceClient({ config, warn: (m) => warnings.push(m) });
    // the old get(): the body of a 2xx, a thrown error otherwise
    const ping = async () => {
      const res = await client.request('GET', 'auth_node', '/internal/ping');
      if (res.statusCode !== 200) throw new Error(`ping answered ${res.statusCode}`);
      return res.body;
    };
    try {
      const first = await ping();
      client.refresh('auth_node'); // look again: still refused, but warned only once
      const second = await ping();
      return { first, second, transport: client.transportFor('auth_node'), warnings };
    } finally {
      await client.close();
    }
  }

  it.skipIf(!isRoot)('a socket owned by another user (nobody) gets no token: HTTP instead, one warning', async () => {
    const { config, ours, elsewhere } = setup();
    fs.chmodSync(elsewhere, 0o777);
    const impostor = startImpostor(path.join(elsewhere, 'fake.sock'), NOBODY);
    children.push(impostor.child);
    await waitFor(() => (impostor.out().includes('LISTENING') ? true : undefined), 10_000);
    fs.renameSync(path.join(elsewhere, 'fake.sock'), ours);
    expect(fs.lstatSync(ours).uid).toBe(NOBODY);

    const res = await callTwice(config);
    expect(res).toEqual({
      first: { real: true },
      second: { real: true },
      transport: 'http',
      warnings: [
        `${ours} is owned by uid ${NOBODY}, not by this user (uid 0): not sending the internal token there; calling auth_node over HTTP`,
      ],
    });
    expect(impostor.out()).not.toContain('GOT');
  });

  it('a symlink in place of the socket gets no token, even when it leads to a real socket', async () => {
    const { config, ours, elsewhere } = setup();
    const target = path.join(elsewhere, 'fake.sock');
    const impostor = startImpostor(target);
    children.push(impostor.child);
    await waitFor(() => (impostor.out().includes('LISTENING') ? true : undefined), 10_000);
    fs.symlinkSync(target, ours);

    const res = await callTwice(config);
    expect(res.first).toEqual({ real: true });
    expect(res.transport).toBe('http');
    expect(res.warnings).toEqual([
      `${ours} is a symlink: not sending the internal token there; calling auth_node over HTTP`,
    ]);
    expect(impostor.out()).not.toContain('GOT');
  });

  it('a plain file in place of the socket is not used either', async () => {
    const { config, ours } = setup();
    fs.writeFileSync(ours, '');
    const res = await callTwice(config);
    expect(res.first).toEqual({ real: true });
    expect(res.warnings).toEqual([
      `${ours} is not a socket: not sending the internal token there; calling auth_node over HTTP`,
    ]);
  });

  it('our own socket is used (the check does not refuse the real thing)', async () => {
    const { config, ours } = setup();
    const own = startImpostor(ours); // run as us: a socket of ours
    children.push(own.child);
    await waitFor(() => (own.out().includes('LISTENING') ? true : undefined), 10_000);
    const res = await callTwice(config);
    expect(res).toMatchObject({ first: { impostor: true }, transport: 'unix', warnings: [] });
    expect(own.out()).toContain(`GOT ${TOKEN}`);
  });
});
