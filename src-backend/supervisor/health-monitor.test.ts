import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthMonitor, type HealthCall } from './health-monitor.js';

/** A real /health endpoint whose answer the test chooses: a status code, or no answer at all. */
async function healthServer() {
  let mode: number | 'hang' = 200;
  let body: object = {};
  const server = http.createServer((_req, res) => {
    if (mode === 'hang') return; // never answers
    res.writeHead(mode, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const call: HealthCall = async (timeoutMs) => {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return { statusCode: res.status, transport: 'http', body: await res.json() };
  };
  return {
    call,
    answer: (m: number | 'hang') => (mode = m),
    say: (b: object) => (body = b),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('HealthMonitor', () => {
  it('records latency, transport and memory of a healthy process', async () => {
    const s = await healthServer();
    close = s.close;
    const m = new HealthMonitor(s.call, 3);
    expect(m.reading()).toEqual({ latencyMs: null, transport: null, rssBytes: null, degradedReason: null });
    expect(await m.probe(process.pid)).toBe('healthy');
    const r = m.reading();
    expect(r.transport).toBe('http');
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.rssBytes).toBeGreaterThan(1024 * 1024); // this test process: well over a megabyte
  });

  it('keeps the reason a degraded /health gives, and forgets it once the service is healthy again', async () => {
    const s = await healthServer();
    close = s.close;
    const m = new HealthMonitor(s.call, 3);
    s.say({ status: 'degraded', reason: 'storage is read-only' });
    expect(await m.probe(process.pid)).toBe('healthy'); // it answers: degraded, not hung
    expect(m.reading().degradedReason).toBe('storage is read-only');
    s.say({ status: 'healthy' });
    await m.probe(process.pid);
    expect(m.reading().degradedReason).toBeNull();
  });

  it('counts probes in a row that fail, calls the process hung at the limit, and forgives after one answer', async () => {
    const s = await healthServer();
    close = s.close;
    const m = new HealthMonitor(s.call, 3);
    s.answer(500);
    expect([await m.probe(process.pid), await m.probe(process.pid)]).toEqual(['failing', 'failing']);
    s.answer(200);
    expect(await m.probe(process.pid)).toBe('healthy');
    expect(m.consecutiveFailures).toBe(0);
    s.answer(503);
    const verdicts = [await m.probe(process.pid), await m.probe(process.pid), await m.probe(process.pid)];
    expect(verdicts).toEqual(['failing', 'failing', 'hung']);
  });

  it('a /health that does not answer in time is a failure, not a wait', async () => {
    const s = await healthServer();
    close = s.close;
    const m = new HealthMonitor(s.call, 1);
    s.answer('hang');
    const t0 = Date.now();
    expect(await m.check(300)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await m.probe(process.pid)).toBe('hung'); // the probe's own 2 s limit
  });

  it('a process that is gone has no memory reading, and reset() forgets the failures', async () => {
    const s = await healthServer();
    close = s.close;
    const m = new HealthMonitor(s.call, 2);
    expect(await m.probe(2 ** 22 + 12345)).toBe('healthy'); // /health answered, but no such pid
    expect(m.reading().rssBytes).toBeNull();
    s.answer(500);
    await m.probe(process.pid);
    expect(m.consecutiveFailures).toBe(1);
    m.reset();
    expect(m.consecutiveFailures).toBe(0);
  });
});
