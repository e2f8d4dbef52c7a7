import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DispatchTimeoutError, dispatchJson } from './http-dispatch.js';

describe('dispatchJson against a real node:http server', () => {
  let server: http.Server;
  let pool: Pool;
  let abortedByClient = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/text') return res.end('plain words');
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/chunks') {
        // a body in several writes (chunked encoding): gathered into one JSON document
        res.setHeader('content-type', 'application/json');
        res.write('{"parts":[');
        setTimeout(() => res.write('1,2,'), 5);
        setTimeout(() => res.end('3]}'), 10);
        return;
      }
      if (req.url === '/never') {
        req.socket.on('close', () => abortedByClient++);
        return; // no answer
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () =>
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body })),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 2 });
  });
  afterAll(async () => {
    await pool.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the body and parses the JSON answer with its status', async () => {
    const res = await dispatchJson(pool, { method: 'POST', path: '/echo', headers: {}, body: '{"a":1}' }, 2000);
    expect(res).toEqual({ statusCode: 201, body: { got: '{"a":1}' } });
  });

  it('returns text that is not JSON as text, and an empty body as null', async () => {
    expect(await dispatchJson(pool, { method: 'GET', path: '/text', headers: {} }, 2000)).toEqual({
      statusCode: 200,
      body: 'plain words',
    });
    expect(await dispatchJson(pool, { method: 'GET', path: '/empty', headers: {} }, 2000)).toEqual({
      statusCode: 204,
      body: null,
    });
  });

  it('joins a body that arrives in several pieces', async () => {
    const res = await dispatchJson(pool, { method: 'GET', path: '/chunks', headers: {} }, 2000);
    expect(res.body).toEqual({ parts: [1, 2, 3] });
  });

  it('gives up at the deadline and abandons the request on the wire', async () => {
    const err = await dispatchJson(pool, { method: 'GET', path: '/never', headers: {} }, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DispatchTimeoutError);
    await expect.poll(() => abortedByClient).toBe(1);
    // the pool still works afterwards
    expect((await dispatchJson(pool, { method: 'GET', path: '/text', headers: {} }, 2000)).statusCode).toBe(200);
  });
});
