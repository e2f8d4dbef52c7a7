import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config.js';
import { ServiceClient } from '../shared/service-client.js';
import { createSessionResolver } from '../shared/session-auth.js';
import type { App } from '../shared/create-app.js';
import { buildGatewayApp } from './app.js';
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
