import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthPaths } from '../contracts/routes/auth.js';
import { INTERNAL_TOKEN_HEADER, SERVICE_NAMES } from '../contracts/services.js';
import type { App } from '../shared/create-app.js';
import { createSessionResolver } from '../shared/session-auth.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { buildGatewayApp } from './app.js';
import { ConsoleDispatcher } from './dispatch.js';

// The real gateway in front of all six real services.
let stack: TestStack;
let gateway: App;
let gatewayPort: number;

beforeAll(async () => {
  stack = await startStack({ env: { ADMIN_PASSWORD: 'gateway-limits-Passw0rd!' } });
  gateway = buildGatewayApp({
    config: stack.config,
    dispatcher: new ConsoleDispatcher({
      client: stack.client,
      resolver: createSessionResolver(stack.client, { ttlMs: 2000 }),
      supervisor: stack.supervisor,
    }),
    staticDir: null,
    appInfo: { mode: 'server', version: 't', realtimeUrl: '' },
  });
  await gateway.listen({ port: 0, host: '127.0.0.1' });
  gatewayPort = (gateway.server.address() as net.AddressInfo).port;
}, 90_000);
afterAll(async () => {
  await gateway?.close();
  await stack?.stop();
});

interface RawAnswer {
  status: number;
  body: unknown;
  /** body bytes we had written when the answer's first byte came */
  sentWhenAnswered: number;
}

/**
 * Raw HTTP, so nothing normalises the path or the body on the way. `body` is written in
 * 64 KiB pieces, each only after the last was flushed, and writing stops once an answer has
 * begun: what the server did before reading the body shows. Keep-alive, as browsers do: the
 * answer is read to its end (Content-Length), then the connection is dropped.
 */
function rawRequest(
  port: number,
  head: string,
  body: Buffer | null = null,
  { chunked = false }: { chunked?: boolean } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let sent = 0;
    let sentWhenAnswered = -1;
    const done = (): boolean => {
      const text = data.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? NaN);
      if (end < 0 || !(Buffer.byteLength(text.slice(end + 4)) >= length)) return false;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const payload = text.slice(end + 4);
      let parsed: unknown = payload;
      try {
        parsed = JSON.parse(payload);
      } catch {
        // not JSON: keep the text
      }
      c.destroy();
      resolve({ status, body: parsed, sentWhenAnswered });
      return true;
    };
    c.on('data', (d: Buffer) => {
      if (sentWhenAnswered < 0) sentWhenAnswered = sent;
      data = Buffer.concat([data, d]);
      done();
    });
    c.on('error', () => undefined); // judged by what was answered
    c.on('close', () => {
      if (!done()) reject(new Error(`no whole HTTP answer: ${JSON.stringify(data.toString('utf8').slice(0, 200))}`));
    });
    const headers = [head, 'Host: x'];
    if (body) {
      headers.push('Content-Type: application/json');
      headers.push(chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`);
    }
    c.write(`${headers.join('\r\n')}\r\n\r\n`);
    if (!body) return;
    const piece = 64 * 1024;
    const writeNext = (): void => {
      if (sentWhenAnswered >= 0 || c.destroyed) return;
      if (sent >= body.length) {
        if (chunked) c.write('0\r\n\r\n');
        return;
      }
      const part = body.subarray(sent, sent + piece);
      sent += part.length;
      const framed = chunked
        ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')])
        : part;
      c.write(framed, () => setImmediate(writeNext));
    };
    writeNext();
  });
}

const nested = (depth: number) => Buffer.from(`{"username":${'['.repeat(depth)}${']'.repeat(depth)},"password":"x"}`);

describe('bad URLs', () => {
  it('a path that does not decode (/%ZZ) is a coded 400 on every service and the gateway', async () => {
    const ports = [...SERVICE_NAMES.map((n) => stack.config.ports[n]), gatewayPort];
    for (const port of ports) {
      const res = await rawRequest(port, 'GET /%ZZ HTTP/1.1');
      expect([port, res.status, res.body]).toEqual([
        port,
        400,
        { error: { code: 'BAD_URL', message: 'the URL path is not valid percent-encoding' } },
      ]);
    }
    const api = await rawRequest(gatewayPort, 'GET /api/student_node/%ZZ HTTP/1.1');
    expect(api).toMatchObject({ status: 400, body: { error: { code: 'BAD_URL' } } });
  });
});

describe('gateway bodies', () => {
  it('deeply nested JSON is a coded 400, not a 500, at the gateway and at every service', async () => {
    const deep = nested(100_000);
    const viaGateway = await rawRequest(gatewayPort, `POST /api/auth_node${AuthPaths.login} HTTP/1.1`, deep);
    expect(viaGateway.status).toBe(400);
    expect(viaGateway.body).toMatchObject({
      error: { code: expect.stringMatching(/^(INVALID_JSON|VALIDATION_FAILED)$/) },
    });
    for (const name of SERVICE_NAMES) {
      const res = await rawRequest(
        stack.config.ports[name],
        `POST /anything HTTP/1.1\r\n${INTERNAL_TOKEN_HEADER}: ${stack.config.internalToken}`,
        deep,
      );
      expect([name, res.status]).toEqual([name, 400]);
      expect(res.body).toMatchObject({ error: { code: 'INVALID_JSON' } });
    }
  });

  it('a body over the target’s limit is a 413 before the body is read, never a 503', async () => {
    const eightMb = Buffer.from(JSON.stringify({ username: 'admin', password: 'x'.repeat(8 * 1024 * 1024 - 40) }));
    const res = await rawRequest(gatewayPort, `POST /api/auth_node${AuthPaths.login} HTTP/1.1`, eightMb);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: { code: 'BODY_TOO_LARGE', message: 'auth_node takes at most 1 MiB here; this body is 8 MiB' },
    });
    expect(res.sentWhenAnswered).toBeLessThan(1024 * 1024); // refused by Content-Length, not after reading 8 MB
  });

  it('a chunked body (no Content-Length) over the target’s limit is a 413 as it arrives, never a 503', async () => {
    const twoMb = Buffer.from(JSON.stringify({ courseId: 1, pad: 'x'.repeat(2 * 1024 * 1024) }));
    const res = await rawRequest(gatewayPort, `POST /api/student_node/course/select HTTP/1.1`, twoMb, {
      chunked: true,
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
    expect(res.sentWhenAnswered).toBeLessThan(2 * 1024 * 1024);
  });

  it('a route that takes more (the 8 MiB import) gets its body, passed on unparsed', async () => {
    // 2 MiB: over auth_node's 1 MiB, within the import's 8 MiB, so auth_node itself answers (no session)
    const row = { role: 'student', username: 'someone', name: 'N'.repeat(400), group: 'g' };
    const big = Buffer.from(JSON.stringify({ users: Array.from({ length: 6000 }, () => row) }));
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await rawRequest(gatewayPort, `POST /api/auth_node${AuthPaths.usersBulk} HTTP/1.1`, big);
    expect(res.status).toBe(401);
    // the gateway does not parse what it forwards: broken JSON is the target's 400 to give
    const broken = await rawRequest(
      gatewayPort,
      `POST /api/auth_node${AuthPaths.login} HTTP/1.1`,
      Buffer.from('{"a":'),
    );
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'INVALID_JSON' } } });
    const ok = await rawRequest(
      gatewayPort,
      `POST /api/auth_node${AuthPaths.loginAdmin} HTTP/1.1`,
      Buffer.from(JSON.stringify({ username: 'admin', password: 'gateway-limits-Passw0rd!' })),
    );
    expect(ok).toMatchObject({ status: 200, body: { token: expect.any(String) } });
  });
});
