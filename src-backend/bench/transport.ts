/**
 * npm run bench:transport — one inter-service call (ServiceClient → a small JSON route) over the
 * Unix socket and over TCP, the same client and keep-alive, N concurrent callers, in alternating
 * slices; raw node:http over both as the ceiling; and the cold start of all six processes.
 * Figures, not assertions: the machine is noisy, so compare the ratios measured in this one run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES } from '../contracts/services.js';
import { loadConfig } from '../shared/config.js';
import { ServiceClient } from '../shared/service-client.js';
import { NodeHost } from '../supervisor/node-host.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { freePort } from '../testing/ports.js';
import { makeBenchEnv, processCpuSeconds, removeBenchDirs } from './bench-env.js';
import { startRawServer } from './raw-server.js';
import { closedLoop, machineInfo, round, summarize, writeResult } from './stats.js';
import { DataCourseRoutes } from '../contracts/routes/data-courses.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const CONCURRENCY = arg('concurrency', 32);
const DURATION_MS = arg('seconds', 5) * 1000;
const COLD_STARTS = arg('cold-starts', 3);

type Measured = { reqPerSec: number; p50Ms: number; p99Ms: number; requests: number };

/**
 * Two transports measured in alternating slices (A B A B …) rather than one after the other, so
 * that a noisy neighbour or a JIT warming up lands on both alike and their ratio is fair.
 */
async function measurePair(
  labels: readonly [string, string],
  fns: readonly [() => Promise<unknown>, () => Promise<unknown>],
): Promise<[Measured, Measured]> {
  for (const fn of fns) await closedLoop(fn, CONCURRENCY, 1000); // warm-up: connections, JIT
  const slices = 5;
  const runs = [
    { latencies: [] as number[], ms: 0 },
    { latencies: [] as number[], ms: 0 },
  ];
  for (let i = 0; i < slices; i++) {
    for (const k of [0, 1] as const) {
      const t0 = performance.now();
      const { latencies } = await closedLoop(fns[k], CONCURRENCY, DURATION_MS / slices);
      runs[k]!.ms += performance.now() - t0;
      runs[k]!.latencies.push(...latencies);
    }
  }
  return [0, 1].map((k) => {
    const s = summarize(runs[k]!.latencies);
    const rps = (s.count / runs[k]!.ms) * 1000;
    console.log(
      `${labels[k]!.padEnd(28)} ${Math.round(rps).toString().padStart(7)} req/s   p50 ${s.p50.toFixed(3)} ms   p99 ${s.p99.toFixed(3)} ms`,
    );
    return { reqPerSec: Math.round(rps), p50Ms: s.p50, p99Ms: s.p99, requests: s.count };
  }) as [Measured, Measured];
}

async function coldStart(): Promise<{
  totalMs: number;
  runningAtMs: Record<string, number>;
  cpuMsToReady: Record<string, number>;
}> {
  const env = await makeBenchEnv();
  const config = loadConfig(env);
  const sup = new Supervisor({ host: new NodeHost(), config, entryDir: here, env, forwardToRealtime: false });
  const runningAtMs: Record<string, number> = {};
  const cpuMsToReady: Record<string, number> = {};
  const t0 = performance.now();
  sup.onStatus((s) => {
    if (s.state !== 'running' || s.name in runningAtMs) return;
    runningAtMs[s.name] = round(performance.now() - t0, 1);
    if (s.pid) cpuMsToReady[s.name] = round(processCpuSeconds(s.pid) * 1000, 0);
  });
  await sup.startAll();
  const totalMs = round(performance.now() - t0, 1);
  await sup.stopAll();
  removeBenchDirs(env);
  return { totalMs, runningAtMs, cpuMsToReady };
}

async function main(): Promise<void> {
  console.log(`transport benchmark: ${CONCURRENCY} concurrent callers, ${DURATION_MS / 1000} s per transport\n`);
  const env = await makeBenchEnv();
  const config = loadConfig(env);
  const sup = new Supervisor({
    host: new NodeHost(),
    config,
    entryDir: here,
    env,
    services: ['data_node'],
    forwardToRealtime: false,
  });
  await sup.startAll();

  // The services' own client settings (connections, pipelining): what a real inter-service call gets.
  const viaSocket = new ServiceClient({ config });
  const viaTcp = new ServiceClient({ config: { ...config, useSockets: false } });
  const call = (c: ServiceClient) => () => c.call(DataCourseRoutes.health);

  const [unix, tcp] = await measurePair(
    ['ServiceClient over Unix', 'ServiceClient over TCP'],
    [call(viaSocket), call(viaTcp)],
  );

  // The ceilings: the same client against a bare node:http server, on a socket of its own and
  // on a TCP port, so the socket/TCP ratio of doing nothing is measured in the same run.
  const rawDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-br-'));
  fs.chmodSync(rawDir, 0o700);
  const rawBody = { status: 'healthy', service: 'raw', pid: process.pid, uptime: 1, transport: 'unix' };
  const rawPort = await freePort();
  const stopRawUnix = await startRawServer(path.join(rawDir, 'data_node.sock'), rawBody);
  const stopRawTcp = await startRawServer(rawPort, rawBody);
  const rawConfig = { ...config, socketDir: rawDir, ports: { ...config.ports, data_node: rawPort } };
  const viaRaw = new ServiceClient({ config: rawConfig });
  const viaRawTcp = new ServiceClient({ config: { ...rawConfig, useSockets: false } });
  const [raw, rawTcp] = await measurePair(
    ['raw node:http over Unix', 'raw node:http over TCP'],
    [call(viaRaw), call(viaRawTcp)],
  );
  stopRawUnix();
  stopRawTcp();
  await Promise.all([viaSocket.close(), viaTcp.close(), viaRaw.close(), viaRawTcp.close()]);
  fs.rmSync(rawDir, { recursive: true, force: true });
  await sup.stopAll();
  removeBenchDirs(env);

  const canColdStart = SERVICE_NAMES.every((n) => fs.existsSync(path.join(here, `${n}.js`)));
  const coldStarts: Awaited<ReturnType<typeof coldStart>>[] = [];
  if (canColdStart) for (let i = 0; i < COLD_STARTS; i++) coldStarts.push(await coldStart());

  const ratio = round(unix.reqPerSec / tcp.reqPerSec, 3);
  const share = round(unix.reqPerSec / raw.reqPerSec, 3);
  const rawRatio = round(raw.reqPerSec / rawTcp.reqPerSec, 3);
  // Little's law: N callers each waiting for an answer make N / throughput the mean latency.
  const rawMeanMs = round((CONCURRENCY / raw.reqPerSec) * 1000, 3);
  console.log(`\nsocket / TCP throughput:  ${ratio}×   (target ≥ 1.15×)`);
  console.log(`raw node:http socket / TCP:  ${rawRatio}×   (the ratio with no framework at all)`);
  console.log(`our share of raw node:http: ${(share * 100).toFixed(1)} %`);
  console.log(
    `with ${CONCURRENCY} callers, raw node:http's mean latency is ${CONCURRENCY} / ${raw.reqPerSec} req/s = ${rawMeanMs} ms (its p99 ${raw.p99Ms} ms)`,
  );
  console.log(
    `socket target ≥ 30,000 req/s with p99 ≤ 1 ms: ${unix.reqPerSec >= 30_000 && unix.p99Ms <= 1 ? 'met' : 'NOT met'}`,
  );
  if (coldStarts.length) {
    console.log(
      `cold start of all six (spawn → all ready): ${coldStarts.map((c) => `${c.totalMs} ms`).join(', ')}  (target ≤ 1500 ms)`,
    );
    const last = coldStarts[coldStarts.length - 1]!;
    console.log(
      `  running at: ${Object.entries(last.runningAtMs)
        .map(([n, ms]) => `${n} ${ms} ms`)
        .join(', ')}`,
    );
    // CPU is steadier than wall time on a shared machine: the median over the runs, per process
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const cpu = Object.keys(last.cpuMsToReady).map(
      (n) => [n, median(coldStarts.map((c) => c.cpuMsToReady[n]!))] as const,
    );
    console.log(
      `  CPU from spawn to ready (median): ${cpu.map(([n, ms]) => `${n} ${ms} ms`).join(', ')}; all six ${cpu.reduce((a, [, ms]) => a + ms, 0)} ms`,
    );
  }
  const file = writeResult('transport', {
    concurrency: CONCURRENCY,
    durationMs: DURATION_MS,
    machine: { ...machineInfo(), cpus: os.cpus().length },
    unix,
    tcp,
    rawNodeHttpUnix: raw,
    rawNodeHttpTcp: rawTcp,
    rawSocketOverTcp: rawRatio,
    rawMeanLatencyMs: rawMeanMs,
    socketOverTcp: ratio,
    shareOfRaw: share,
    coldStartMs: coldStarts.map((c) => c.totalMs),
    coldStartDetail: coldStarts,
    targets: { unixReqPerSec: 30_000, unixP99Ms: 1, socketOverTcp: 1.15, coldStartMs: 1500 },
  });
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(`bench:transport: ${(err as Error).message}`);
  process.exit(1);
});
