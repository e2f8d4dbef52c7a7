import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestStack } from '../../testing/stack.js';
import { connect, seedUsers, startRealtimeStack, type SeededUser } from './testing/rt-harness.js';

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const HOOK_TIMEOUT_MS = 120_000;
vi.setConfig({ testTimeout: 30_000 });

let stack: TestStack;
let url: string;
let user: SeededUser;

beforeAll(async () => {
  stack = await startRealtimeStack();
  url = stack.httpUrl('realtime');
  [user] = await seedUsers(stack, [{ role: 'student' }]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  await stack?.stop();
}, HOOK_TIMEOUT_MS);

/** One raw HTTP exchange, over TCP or the Unix socket. */
function raw(opts: {
  socketPath?: string;
  port?: number;
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: opts.port,
        socketPath: opts.socketPath,
        method: opts.method,
        path: opts.path,
        headers: { 'content-type': 'text/plain;charset=UTF-8', ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('Socket.IO on both transports', () => {
  it('answers the Engine.IO handshake on the Unix socket too (the gateway proxies through it)', async () => {
    const res = await raw({
      socketPath: stack.socketPath('realtime'),
      method: 'GET',
      path: '/socket.io/?EIO=4&transport=polling',
    });
    expect(res.status).toBe(200);
    const open = JSON.parse(res.body.slice(1)) as { sid: string; maxPayload: number };
    expect(res.body[0]).toBe('0');
    expect(open.maxPayload).toBe(100_000);
    const health = await raw({ socketPath: stack.socketPath('realtime'), method: 'GET', path: '/health' });
    expect(JSON.parse(health.body)).toMatchObject({ service: 'socketio' });
  });

  it('upgrades to WebSocket on the Unix socket (what the gateway forwards)', async () => {
    const head = await new Promise<string>((resolve, reject) => {
      const c = net.connect(stack.socketPath('realtime'));
      let got = '';
      c.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if (got.includes('\r\n\r\n')) {
          c.destroy();
          resolve(got.split('\r\n')[0]!);
        }
      });
      c.on('error', reject);
      c.write(
        [
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
          'Host: realtime',
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Version: 13',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    expect(head).toBe('HTTP/1.1 101 Switching Protocols');
  });
});

describe('hostile packets never take the process down', () => {
  it('survives garbage, broken JSON, bogus binary placeholders and unknown namespaces on a polling session', async () => {
    const port = stack.config.ports.realtime;
    const pid = stack.pid('realtime');
    const hostile = [
      'garbage',
      '4',
      '40/nowhere,',
      '40{"token":', // broken JSON in CONNECT
      `40${JSON.stringify({ token: user.token })}`,
      '42["chat:send",{"receiverId":', // broken JSON in EVENT
      '451-["chat:send",{"_placeholder":true,"num":99}]', // attachment index that does not exist
      '42[{"__proto__":{"polluted":true}}]',
      `42${JSON.stringify(['chat:send', { receiverId: 1, message: 'x'.repeat(50) }, null, null])}`,
      '4' + '9'.repeat(400),
    ];
    for (const body of hostile) {
      const open = await raw({ port, method: 'GET', path: '/socket.io/?EIO=4&transport=polling' });
      const sid = (JSON.parse(open.body.slice(1)) as { sid: string }).sid;
      const res = await raw({ port, method: 'POST', path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`, body });
      expect(res.status).toBeLessThan(500);
    }
    const tooBig = await raw({
      port,
      method: 'POST',
      path: '/socket.io/?EIO=4&transport=polling&sid=nope',
      body: 'x'.repeat(200_000),
    });
    expect(tooBig.status).toBeGreaterThanOrEqual(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(stack.pid('realtime')).toBe(pid);
    // and it still serves real clients
    const s = await connect(url, '/', user.token);
    expect(s.connected).toBe(true);
    s.close();
  });
});
