import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES } from '../../src-backend/contracts/services.js';
import { Backend } from '../support/api.js';
import { openSignedIn } from '../support/console.js';
import { expect, test } from '../support/test.js';

/**
 * Benchmark, not a test: can the Logs view take thousands of lines a second without freezing?
 * The console runs for real against server mode. A test-only init script remembers the page's
 * WebSocket; a driver in the page then hands it `log` packets for the /logs namespace at RATE
 * lines/s, framed exactly as the realtime server frames them, so socket.io-client's parser,
 * the store's batching and the virtual list all do their real work (feeding frames through
 * Playwright's protocol tops out at a few hundred a second, too slow to flood anything). The
 * page records every animation frame and long task meanwhile. Prints the figures and writes
 * bench/results/console-logs.json.
 */
const RATE = Number(process.env.BENCH_LOG_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_LOG_SECONDS ?? 5);
const TICK_MS = 20;
const CAP = 20_000;

test('logs view under a flood of lines', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript({
    content: `(() => {
      const Native = window.WebSocket;
      window.__benchSockets = [];
      window.WebSocket = class extends Native {
        constructor(...args) { super(...args); window.__benchSockets.push(this); }
      };
    })();`,
  });
  await openSignedIn(page, Backend.fromEnv(), '/logs');
  await expect(page.getByTestId('log-line').first()).toBeVisible();
  const counts = page.getByTestId('log-counts');
  const kept = async () =>
    Number(((await counts.textContent()) ?? '').match(/of ([\d,]+) kept/)?.[1]?.replace(/,/g, '') ?? 0);
  const before = await kept();

  await page.evaluate(`(() => {
    const m = (window.__bench = { frames: [], longTasks: [], last: performance.now(), running: true });
    const loop = (t) => { m.frames.push(t - m.last); m.last = t; if (m.running) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    new PerformanceObserver((list) => { for (const e of list.getEntries()) m.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: false });
  })()`);

  const open = Number(await page.evaluate('window.__benchSockets.filter((w) => w.readyState === 1).length'));
  if (open === 0) throw new Error('the page has no open WebSocket (is Socket.IO on long-polling?)');
  const total = RATE * SECONDS;
  const profile = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
  if (profile) {
    await profile.send('Profiler.enable');
    await profile.send('Profiler.start');
  }
  const started = Date.now();
  await page.evaluate(`new Promise((resolve) => {
    const ws = window.__benchSockets.filter((w) => w.readyState === 1).at(-1);
    const levels = ['info', 'info', 'info', 'debug', 'warn', 'error'];
    const services = ${JSON.stringify(SERVICE_NAMES)};
    let seq = 10000000, sent = 0;
    const t0 = performance.now();
    // Catch up to where the clock says we should be, so late timer ticks do not lower the rate.
    const timer = setInterval(() => {
      const due = Math.min(${total}, Math.floor(((performance.now() - t0) / 1000) * ${RATE}));
      for (; sent < due; sent++) {
        seq++;
        const line = { seq, text: 'flood line ' + seq + ': request handled in ' + (seq % 97) / 10 + ' ms for user ' + (seq % 5000),
          level: levels[seq % levels.length], service: services[seq % services.length], timestamp: new Date().toISOString() };
        ws.onmessage({ data: '42/logs,' + JSON.stringify(['log', line]) });
      }
      if (sent >= ${total}) { clearInterval(timer); resolve(); }
    }, ${TICK_MS});
  })`);
  const sendSeconds = (Date.now() - started) / 1000;
  if (profile) {
    // Where the main thread went, by self time: for finding what to make cheaper.
    const { profile: prof } = (await profile.send('Profiler.stop')) as unknown as {
      profile: {
        nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
        samples: number[];
        timeDeltas: number[];
      };
    };
    const self = new Map<number, number>();
    prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
    const byName = new Map<string, number>();
    for (const n of prof.nodes) {
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      byName.set(key, (byName.get(key) ?? 0) + (self.get(n.id) ?? 0));
    }
    for (const [k, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
  // Every line reaches the buffer (capped at 20,000), i.e. nothing was dropped on the way.
  const expected = Math.min(CAP, before + total);
  await expect.poll(kept, { timeout: 30_000 }).toBe(expected);
  const drainedSeconds = (Date.now() - started) / 1000;

  const m = (await page.evaluate(`(() => { window.__bench.running = false; return window.__bench; })()`)) as {
    frames: number[];
    longTasks: number[];
  };
  const frames = m.frames.slice(1).sort((a, b) => a - b);
  const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor((p / 100) * frames.length))] ?? 0;
  const result = {
    date: new Date().toISOString(),
    targetLinesPerSecond: RATE,
    linesSent: total,
    achievedSendRate: Math.round(total / sendSeconds),
    secondsUntilAllShown: Number(drainedSeconds.toFixed(2)),
    frames: frames.length,
    framesPerSecond: Number((frames.length / drainedSeconds).toFixed(1)),
    frameMs: {
      p50: Number(pct(50).toFixed(1)),
      p95: Number(pct(95).toFixed(1)),
      p99: Number(pct(99).toFixed(1)),
      max: Number((frames.at(-1) ?? 0).toFixed(1)),
    },
    longTasks: {
      count: m.longTasks.length,
      maxMs: Number(Math.max(0, ...m.longTasks).toFixed(1)),
      totalMs: Number(m.longTasks.reduce((a, b) => a + b, 0).toFixed(1)),
    },
    bufferCap: CAP,
  };
  console.log(
    `logs flood: ${result.linesSent} lines at ${result.achievedSendRate}/s; all shown after ${result.secondsUntilAllShown}s; ` +
      `${result.framesPerSecond} fps, frame p50 ${result.frameMs.p50} ms / p95 ${result.frameMs.p95} ms / max ${result.frameMs.max} ms; ` +
      `long tasks ${result.longTasks.count} (max ${result.longTasks.maxMs} ms)`,
  );
  const out = path.resolve('bench/results/console-logs.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  // The list stays interactive: scrolling to the top and searching still answer.
  await page.getByTestId('logs-search').fill(`flood line ${10_000_000 + total - 7}:`);
  await expect(page.getByTestId('log-line')).toHaveCount(1);
});
