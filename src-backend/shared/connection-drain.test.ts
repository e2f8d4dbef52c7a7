import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackConnections, type ConnectionDrain } from './connection-drain.js';

/** A server that holds every request until the test answers it, and accepts WebSocket-style upgrades. */
async function holdingServer() {
  const pending: http.ServerResponse[] = [];
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => pending.push(res));
  server.on('upgrade', (_req, socket: net.Socket) =>
    socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: x\r\nconnection: upgrade\r\n\r\n'),
  );
  const drain = trackConnections([server], 'test_service');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { server, drain, port, pending };
}

/** A raw client connection: what it received, and whether the server closed it. */
async function rawClient(port: number, request: string) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const seen = { text: '', closed: false };
  socket.on('data', (d: Buffer) => (seen.text += d.toString()));
  socket.on('close', () => (seen.closed = true));
  socket.on('error', () => {});
  socket.write(request);
  cleanups.push(() => socket.destroy());
  return { socket, seen };
}

const GET = 'GET / HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\n\r\n';
const UPGRADE = 'GET /ws HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: x\r\n\r\n';
const tick = (ms = 50) => new Promise((r) => setTimeout(r, ms));
const cleanups: Array<() => void> = [];
let servers: Array<{ server: http.Server; drain: ConnectionDrain }> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  for (const s of servers) {
    s.drain.force();
    s.server.close();
  }
  servers = [];
});

async function setup() {
  const s = await holdingServer();
  servers.push(s);
  return s;
}

describe('trackConnections: stopping a server whatever its clients hold open', () => {
  it('an idle keep-alive connection is closed as soon as the drain begins', async () => {
    const s = await setup();
    const c = await rawClient(s.port, GET);
    await tick();
    s.pending.shift()!.end('one');
    await tick();
    expect(c.seen.text).toMatch(/^HTTP\/1.1 200.*connection: keep-alive/is);
    expect(c.seen.closed).toBe(false);
    s.drain.begin();
    await tick();
    expect(c.seen.closed).toBe(true);
    expect(s.drain.size).toBe(0);
  });

  it('a request in flight is answered with connection: close, then its connection closes and close() completes', async () => {
    const s = await setup();
    const c = await rawClient(s.port, GET);
    await tick();
    s.drain.begin();
    const closed = new Promise<void>((resolve) => s.server.close(() => resolve()));
    await tick();
    expect(c.seen.closed).toBe(false); // still waiting for its answer
    s.pending.shift()!.end('late but served');
    await closed; // without the drain, node:http would keep it open for the 60 s keep-alive
    await tick(); // for the client to read it all
    expect(c.seen.text).toMatch(/^HTTP\/1.1 200/);
    expect(c.seen.text).toMatch(/connection: close/i);
    expect(c.seen.text).toMatch(/late but served$/);
    expect(c.seen.closed).toBe(true);
  });

  it('a connection that arrives while draining is served once and closed', async () => {
    const s = await setup();
    s.drain.begin();
    const c = await rawClient(s.port, GET);
    await tick();
    s.pending.shift()!.end('draining');
    await tick();
    expect(c.seen.text).toMatch(/connection: close/i);
    expect(c.seen.closed).toBe(true);
  });

  it('an upgraded connection is left to its owner by begin(), and dropped by force()', async () => {
    const s = await setup();
    const c = await rawClient(s.port, UPGRADE);
    await tick();
    expect(c.seen.text).toMatch(/^HTTP\/1.1 101/);
    s.drain.begin();
    await tick();
    expect(c.seen.closed).toBe(false);
    s.drain.force();
    await tick();
    expect(c.seen.closed).toBe(true);
  });

  it('force() answers a request still unanswered with a coded 503 before dropping it', async () => {
    const s = await setup();
    const c = await rawClient(s.port, GET);
    await tick();
    s.drain.begin();
    s.drain.force();
    await tick(300);
    expect(c.seen.text).toMatch(/^HTTP\/1.1 503/);
    expect(c.seen.text).toMatch(/connection: close/i);
    const body = JSON.parse(c.seen.text.slice(c.seen.text.indexOf('\r\n\r\n') + 4)) as unknown;
    expect(body).toEqual({ error: { code: 'SHUTTING_DOWN', message: 'test_service is shutting down' } });
    expect(c.seen.closed).toBe(true);
  });
});
