import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortTempDir } from '../testing/stack.js';
import { freePort } from '../testing/ports.js';
import { loadConfig, socketPathFor, type RuntimeConfig } from './config.js';
import { createBaseApp, type App } from './create-app.js';
import { listenDual, type Listening } from './dual-listen.js';
import { Type } from 'typebox';
import { routeTable } from '../contracts/route.js';
import { healthRoute } from '../contracts/routes/shared.js';
import { registerRoute } from './register-route.js';
import { ServiceCallError, ServiceClient } from './service-client.js';

const TOKEN = 'a'.repeat(64);

/** A table for the test service, so the client is exercised the way services use it. */
const I = Type.Object({ i: Type.Integer() });
const T = routeTable('auth_node', {
  ping: {
    method: 'GET',
    url: '/internal/ping',
    summary: 'ping',
    access: 'internal',
    schema: { response: { 200: Type.Object({ pong: Type.Boolean() }) } },
  },
  slow: {
    method: 'GET',
    url: '/slow',
    summary: 'slow',
    access: 'public',
    schema: { response: { 200: Type.Object({ late: Type.Boolean() }) } },
  },
  echo: {
    method: 'POST',
    url: '/echo',
    summary: 'echo',
    access: 'public',
    schema: { body: Type.Object({ a: Type.Integer() }), response: { 200: Type.Object({ got: Type.Unknown() }) } },
  },
  item: {
    method: 'GET',
    url: '/item/:i',
    summary: 'item',
    access: 'public',
    schema: { params: I, response: { 200: I } },
  },
  write: {
    method: 'POST',
    url: '/write/:i',
    summary: 'write',
    access: 'public',
    schema: { params: I, response: { 200: I } },
  },
});
const QueueSelect = routeTable('queue_node', {
  select: {
    method: 'POST',
    url: '/select',
    summary: 'select',
    access: 'public',
    schema: { body: Type.Object({ seat: Type.Integer() }), response: { 200: Type.Object({ ok: Type.Boolean() }) } },
  },
  status: {
    method: 'GET',
    url: '/status',
    summary: 'status',
    access: 'public',
    schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } },
  },
});

describe('ServiceClient against a real service on a real socket', () => {
  let dir: string;
  let app: App;
  let listening: Listening;
  let config: RuntimeConfig;
  const inFlight = new Map<unknown, number>();
  let maxInFlight = 0;

  beforeAll(async () => {
    dir = shortTempDir('csc-c-');
    const port = await freePort();
    config = loadConfig({ SOCKET_DIR: dir, INTERNAL_TOKEN: TOKEN, AUTH_NODE_PORT: String(port) });
    app = createBaseApp({ service: 'auth_node', internalToken: TOKEN });
    registerRoute(app, T.ping, {}, async () => ({ pong: true }));
    registerRoute(app, T.slow, {}, async () => {
      await new Promise((r) => setTimeout(r, 400));
      return { late: true };
    });
    registerRoute(app, T.echo, {}, async (req) => ({ got: req.body }));
    // answers out of order on purpose: a later request on the same connection finishes first
    registerRoute(app, T.item, {}, async (req) => {
      const { i } = req.params;
      const sock = req.raw.socket;
      const now = (inFlight.get(sock) ?? 0) + 1;
      inFlight.set(sock, now);
      maxInFlight = Math.max(maxInFlight, now);
      await new Promise((r) => setTimeout(r, (7 - (i % 8)) * 2));
      inFlight.set(sock, (inFlight.get(sock) ?? 1) - 1);
      return { i };
    });
    registerRoute(app, T.write, {}, async (req) => {
      const sock = req.raw.socket;
      const now = (inFlight.get(sock) ?? 0) + 1;
      inFlight.set(sock, now);
      maxInFlight = Math.max(maxInFlight, now);
      await new Promise((r) => setTimeout(r, 5));
      inFlight.set(sock, (inFlight.get(sock) ?? 1) - 1);
      return { i: req.params.i };
    });
    listening = await listenDual(app, {
      service: 'auth_node',
      host: '127.0.0.1',
      port,
      portEnv: 'AUTH_NODE_PORT',
      socketPath: socketPathFor('auth_node', dir),
    });
  });
  afterAll(async () => {
    await listening.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('goes over the socket and carries the internal token', async () => {
    const client = new ServiceClient({ config });
    expect(client.transportFor('auth_node')).toBe('unix');
    expect(await client.call(T.ping)).toEqual({ pong: true });
    expect(await client.call(T.echo, { body: { a: 1 } })).toEqual({ got: { a: 1 } });
    await client.close();
  });

  it('a socket that appears is used at once after refresh, not a second later', async () => {
    // the socket "does not exist yet": a private dir where we move the real one in afterwards
    const late = shortTempDir('csc-late-');
    const client = new ServiceClient({ config: { ...config, socketDir: late } });
    expect(client.transportFor('auth_node')).toBe('http'); // looked up: absent, remembered
    // a hard link is the same socket under a second name (a symlink would be refused)
    fs.linkSync(socketPathFor('auth_node', dir), socketPathFor('auth_node', late));
    expect(client.transportFor('auth_node')).toBe('http'); // still remembered as absent
    client.refresh('auth_node');
    expect(client.transportFor('auth_node')).toBe('unix');
    expect(await client.callRaw(T.ping)).toMatchObject({
      statusCode: 200,
      transport: 'unix',
    });
    await client.close();
    fs.rmSync(late, { recursive: true, force: true });
  });

  it('internal-only routes refuse a call without the token', async () => {
    const client = new ServiceClient({ config: { ...config, internalToken: '' } });
    const err = await client.call(T.ping).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ service: 'auth_node', statusCode: 401, code: 'INTERNAL_ONLY' });
    const wrong = new ServiceClient({ config: { ...config, internalToken: 'b'.repeat(64) } });
    await expect(wrong.call(T.ping)).rejects.toMatchObject({ statusCode: 401 });
    await Promise.all([client.close(), wrong.close()]);
  });

  it('times out with a typed error naming the service', async () => {
    const client = new ServiceClient({ config, timeoutMs: 100 });
    await expect(client.call(T.slow)).rejects.toMatchObject({
      name: 'ServiceCallError',
      service: 'auth_node',
      statusCode: 504,
      code: 'SERVICE_TIMEOUT',
    });
    await client.close();
  });

  it('a service that is not running is a 503 naming it', async () => {
    const client = new ServiceClient({ config });
    const err = (await client.call(healthRoute('teacher_node')).catch((e: unknown) => e)) as ServiceCallError;
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err.statusCode).toBe(503);
    expect(err.message).toMatch(/^teacher_node is unreachable/);
    await client.close();
  });

  it('uses <NAME>_URL instead of the socket when set', async () => {
    const viaUrl = loadConfig({
      SOCKET_DIR: dir,
      INTERNAL_TOKEN: TOKEN,
      AUTH_NODE_URL: `http://127.0.0.1:${config.ports.auth_node}/`,
    });
    const client = new ServiceClient({ config: viaUrl });
    expect(client.transportFor('auth_node')).toBe('http');
    expect((await client.call(healthRoute('auth_node'))).transport).toBe('http');
    await client.close();
  });

  it('keeps one connection alive across sequential calls, on the socket and over TCP', async () => {
    let overSocket = 0;
    let overTcp = 0;
    const countSocket = () => overSocket++;
    const countTcp = () => overTcp++;
    listening.socketServer!.on('connection', countSocket);
    app.server.on('connection', countTcp);
    const client = new ServiceClient({ config });
    const viaUrl = new ServiceClient({
      config: loadConfig({ SOCKET_DIR: dir, AUTH_NODE_URL: `http://127.0.0.1:${config.ports.auth_node}` }),
    });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await client.request('GET', 'auth_node', '/health')).transport).toBe('unix');
        expect((await viaUrl.request('GET', 'auth_node', '/health')).transport).toBe('http');
      }
      expect([overSocket, overTcp]).toEqual([1, 1]);
    } finally {
      listening.socketServer!.off('connection', countSocket);
      app.server.off('connection', countTcp);
      await Promise.all([client.close(), viaUrl.close()]);
    }
  });

  it('pipelines GETs on few connections and gives each caller its own answer', async () => {
    let connections = 0;
    const count = () => connections++;
    listening.socketServer!.on('connection', count);
    const client = new ServiceClient({ config, connections: 2, pipelining: 4 });
    maxInFlight = 0;
    try {
      const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => client.call(T.item, { params: { i } })));
      expect(answers.map((a) => a.i)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      expect(connections).toBeLessThanOrEqual(2);
      expect(maxInFlight).toBeGreaterThan(1); // several GETs were on one connection at once
      expect(maxInFlight).toBeLessThanOrEqual(4);
    } finally {
      listening.socketServer!.off('connection', count);
      await client.close();
    }
  });

  it('never pipelines a write: one POST at a time on a connection', async () => {
    maxInFlight = 0;
    const client = new ServiceClient({ config, connections: 1, pipelining: 8 });
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => client.call(T.write, { params: { i } })));
    await client.close();
    expect(answers.map((a) => a.i).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(maxInFlight).toBe(1);
  });

  it('falls back to TCP when the socket file refuses connections', async () => {
    const stale = path.join(dir, 'stale');
    fs.mkdirSync(stale, { mode: 0o700 });
    // a socket path where nothing listens: connection refused → HTTP
    const cfg = { ...config, socketDir: stale };
    fs.writeFileSync(path.join(stale, 'auth_node.sock'), '');
    const client = new ServiceClient({ config: cfg });
    const res = await client.callRaw(healthRoute('auth_node'));
    expect(res.statusCode).toBe(200);
    expect(res.transport).toBe('http');
    await client.close();
  });
});

describe('ServiceClient when the socket connection is reset mid-request', () => {
  let dir: string;
  let config: RuntimeConfig;
  const hits = { socket: [] as string[], tcp: [] as string[] };
  let onSocket: http.Server;
  let onTcp: http.Server;

  beforeAll(async () => {
    dir = shortTempDir('csc-c-');
    const port = await freePort();
    config = loadConfig({ SOCKET_DIR: dir, QUEUE_NODE_PORT: String(port) });
    // the socket side takes the request and dies before answering; TCP would answer
    onSocket = http.createServer((req) => {
      hits.socket.push(req.method!);
      req.socket.destroy();
    });
    onTcp = http.createServer((req, res) => {
      hits.tcp.push(req.method!);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => onSocket.listen(socketPathFor('queue_node', dir), r));
    await new Promise<void>((r) => onTcp.listen(port, '127.0.0.1', r));
  });
  afterAll(async () => {
    await Promise.all([onSocket, onTcp].map((s) => new Promise((r) => s.close(r))));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('does not send a POST again over TCP: it may have been delivered', async () => {
    const client = new ServiceClient({ config });
    const err = (await client
      .call(QueueSelect.select, { body: { seat: 1 } })
      .catch((e: unknown) => e)) as ServiceCallError;
    await client.close();
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ service: 'queue_node', statusCode: 503 });
    expect(err.message).toMatch(/^queue_node is unreachable/);
    expect(hits).toEqual({ socket: ['POST'], tcp: [] }); // sent exactly once
  });

  it('does retry a GET over TCP, which is safe to repeat', async () => {
    const client = new ServiceClient({ config });
    const res = await client.callRaw(QueueSelect.status);
    await client.close();
    expect(res).toMatchObject({ statusCode: 200, transport: 'http', body: { ok: true } });
    expect(hits).toEqual({ socket: ['POST', 'GET'], tcp: ['GET'] });
  });
});
