import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.js';
import { ServiceClient } from '../shared/service-client.js';
import { createSessionResolver } from '../shared/session-auth.js';
import type { App } from '../shared/create-app.js';
import { buildGatewayApp, CONSOLE_CSP } from './app.js';
import { ConsoleDispatcher } from './dispatch.js';

/** Raw HTTP so that no client library normalises the path before it reaches the server. */
function rawGet(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () =>
      c.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    let data = '';
    c.on('data', (d) => (data += d.toString()));
    c.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    c.on('error', reject);
  });
}

describe('gateway static serving', () => {
  let tmp: string;
  let app: App;
  let port: number;
  const SECRET = 'top-secret-outside-the-build';

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-gw-'));
    const root = path.join(tmp, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(root, 'portal.html'), '<!doctype html><title>portal</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'leak.txt'));
    fs.symlinkSync(tmp, path.join(root, 'up'));
    const config = loadConfig({ SOCKET_DIR: path.join(tmp, 's'), USE_SOCKETS: 'false' });
    const client = new ServiceClient({ config });
    app = buildGatewayApp({
      config,
      dispatcher: new ConsoleDispatcher({ client, resolver: createSessionResolver(client) }),
      staticDir: root,
      appInfo: { mode: 'server', version: 't', realtimeUrl: '' },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves the build with a strict CSP and falls back to index.html for app routes', async () => {
    const js = await app.inject('/assets/app.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    const route = await app.inject('/users');
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('<title>console</title>');
    expect(route.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%5csecret.txt',
    '/assets/..%2F..%2Fsecret.txt',
    '/index.html%00.js',
    '/leak.txt',
    '/up/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
  ])('never leaves the build folder: %s', async (target) => {
    const viaInject = await app.inject(target);
    expect(viaInject.body).not.toContain(SECRET);
    expect([400, 404]).toContain(viaInject.statusCode);
    expect([400, 404]).toContain(await rawGet(port, target));
  });

  it('serves the portal page for /portal/ and its deep links, with the same CSP; a missing file is a 404', async () => {
    const bare = await app.inject('/portal');
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/portal/');
    for (const url of ['/portal/', '/portal/catalogue', '/portal/teach/courses/12?tab=roster']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<title>portal</title>');
      expect(res.headers['content-security-policy'], url).toBe(CONSOLE_CSP);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    expect((await app.inject('/portal/assets/app.js')).statusCode).toBe(404);
    expect((await app.inject('/portal/%2e%2e/%2e%2e/secret.txt')).body).not.toContain(SECRET);
    // the console keeps its own page
    expect((await app.inject('/users')).body).toContain('<title>console</title>');
  });

  it('answers unknown API targets with a coded 404', async () => {
    const res = await app.inject('/api/nope/x');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('refuses supervisor operations without an admin session', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/supervisor/status' });
    expect(res.statusCode).toBe(404); // no supervisor in this gateway: services run elsewhere
  });
});

describe('gateway API forwarding', () => {
  let upstream: http.Server;
  let tmp: string;
  let app: App;
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    // student_node's place is taken by a plain HTTP server that records what arrives (STUDENT_NODE_URL)
    upstream = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-gw-'));
    const config = loadConfig({ SOCKET_DIR: path.join(tmp, 's'), USE_SOCKETS: 'false', STUDENT_NODE_URL: url });
    const client = new ServiceClient({ config });
    app = buildGatewayApp({
      config,
      dispatcher: new ConsoleDispatcher({ client, resolver: createSessionResolver(client) }),
      staticDir: null,
      appInfo: { mode: 'server', version: 't', realtimeUrl: '' },
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise((r) => upstream.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('passes an Idempotency-Key on to the service, so a retried selection is the same request', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/student_node/student/course/select',
      headers: { 'idempotency-key': 'portal:sel:42:abc', authorization: 'Bearer t0k' },
      payload: { courseId: 42 },
    });
    expect(res.statusCode).toBe(200);
    expect(seen.at(-1)).toMatchObject({ 'idempotency-key': 'portal:sel:42:abc', authorization: 'Bearer t0k' });
    await app.inject({ method: 'POST', url: '/api/student_node/student/course/select', payload: { courseId: 42 } });
    expect(seen.at(-1)!['idempotency-key']).toBeUndefined();
  });

  it('refuses a malformed Idempotency-Key before it reaches a service', async () => {
    const before = seen.length;
    const res = await app.inject({
      method: 'POST',
      url: '/api/student_node/student/course/select',
      headers: { 'idempotency-key': 'has spaces and ünïcode' },
      payload: { courseId: 42 },
    });
    expect(res.statusCode).toBe(400);
    expect(seen.length).toBe(before);
  });
});
