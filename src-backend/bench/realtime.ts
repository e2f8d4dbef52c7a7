/**
 * npm run bench:realtime — M concurrent socket.io-client connections (2,000 by default) against
 * the real realtime process (with the real data_node and auth_node behind it):
 *   1. connect M authenticated clients; memory per connection = realtime RSS growth / M;
 *   2. broadcast latency: POST /api/broadcast (persisted, then pushed) until every client has it,
 *      p50/p99 over all deliveries of all rounds;
 *   3. targeted notifications: POST /api/notify to random connected users at R/s (5,000 by
 *      default) for a few seconds; p50/p99 from send to the recipient's `notification:new`.
 * Figures, not assertions. All clients live in this one process, so their event loop is part of
 * every latency measured. More connections: raise `ulimit -n` (each client is one fd here and
 * one in the server), e.g. `ulimit -n 65536 && npm run bench:realtime -- --connections 10000`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { IdentityPaths, type DataBulkInsertResponse, type DataBulkSessionsResponse } from '../contracts/auth.js';
import type { Notification } from '../contracts/realtime.js';
import { loadConfig } from '../shared/config.js';
import { createRealtimePublisher } from '../shared/realtime-publisher.js';
import { ServiceClient } from '../shared/service-client.js';
import { NodeHost } from '../supervisor/node-host.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { freePorts } from '../testing/ports.js';
import { machineInfo, round, summarize, writeResult } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const M = arg('connections', 2000);
const ROUNDS = arg('rounds', 20);
const TARGETED_RATE = arg('rate', 5000);
const TARGETED_SECONDS = arg('seconds', 5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function makeEnv(): Promise<Record<string, string>> {
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-rb-'));
  fs.chmodSync(socketDir, 0o700);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-rbd-'));
  const ports = await freePorts(7);
  return {
    SOCKET_DIR: socketDir,
    DATA_DIR: dataDir,
    INTERNAL_TOKEN: randomBytes(32).toString('hex'),
    DATA_NODE_PORT: String(ports[0]),
    AUTH_NODE_PORT: String(ports[1]),
    TEACHER_NODE_PORT: String(ports[2]),
    STUDENT_NODE_PORT: String(ports[3]),
    QUEUE_NODE_PORT: String(ports[4]),
    SOCKETIO_PORT: String(ports[5]),
    GATEWAY_PORT: String(ports[6]),
    ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    LOG_LEVEL: 'warn',
  };
}

/** user+system CPU seconds a process has used so far (Linux clock ticks are 1/100 s) */
function cpuSeconds(pid: number | 'self'): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function seed(client: ServiceClient, n: number): Promise<Array<{ id: number; token: string }>> {
  const out: Array<{ id: number; token: string }> = [];
  const stamp = Date.now().toString(36);
  for (let start = 0; start < n; start += 5000) {
    const users = Array.from({ length: Math.min(5000, n - start) }, (_, i) => ({
      role: 'student' as const,
      username: `bench-${stamp}-${start + i}`,
      name: `Bench ${start + i}`,
      group: 'bench',
      passwordHash: 'seeded-without-password',
    }));
    const ins = await client.post<DataBulkInsertResponse>('data_node', IdentityPaths.usersBulk, { users, atomic: true }, { timeoutMs: 60_000 });
    const ids = ins.results.map((r) => r.id!);
    const ses = await client.post<DataBulkSessionsResponse>('data_node', IdentityPaths.sessionsBulk, { userIds: ids, idleSeconds: 3600 }, { timeoutMs: 60_000 });
    out.push(...ses.sessions.map((s) => ({ id: s.userId, token: s.token })));
  }
  return out;
}

function connectOne(url: string, token: string): Promise<Socket> {
  const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token, presence: false }, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

async function main(): Promise<void> {
  const env = await makeEnv();
  const config = loadConfig(env);
  const sup = new Supervisor({ host: new NodeHost(), config, entryDir: here, env, services: ['data_node', 'auth_node', 'realtime'], forwardToRealtime: false });
  // /api/notify waits for its group commit, so throughput is (requests in flight) / (commit time):
  // enough connections that a commit carries hundreds of notifications
  const client = new ServiceClient({ config, connections: 512 });
  const sockets: Socket[] = [];
  try {
    await sup.startAll();
    const pid = sup.status().processes.find((p) => p.name === 'realtime')!.pid!;
    const dataPid = sup.status().processes.find((p) => p.name === 'data_node')!.pid!;
    const url = `http://127.0.0.1:${config.ports.realtime}`;
    console.log(`seeding ${M} students and sessions…`);
    const users = await seed(client, M);

    await sleep(500);
    const rssBefore = rssBytes(pid);
    console.log(`connecting ${M} clients (realtime RSS ${Math.round(rssBefore / 1e6)} MB)…`);
    const t0 = performance.now();
    for (let i = 0; i < users.length; i += 200) {
      sockets.push(...(await Promise.all(users.slice(i, i + 200).map((u) => connectOne(url, u.token)))));
    }
    const connectSeconds = (performance.now() - t0) / 1000;
    await sleep(1000);
    const rssAfter = rssBytes(pid);
    const perConn = (rssAfter - rssBefore) / M;
    console.log(`connected in ${connectSeconds.toFixed(1)} s; RSS ${Math.round(rssAfter / 1e6)} MB, ${(perConn / 1024).toFixed(1)} KB per connection`);

    // ---- broadcast: every client must get each round
    const sentAt = new Map<number, number>();
    const broadcastLat: number[] = [];
    const received = new Map<number, number>();
    const targetedLat: number[] = [];
    for (const s of sockets) {
      s.on('notification:new', (n: Notification) => {
        const now = performance.now();
        const meta = n.metadata as { round?: number; seq?: number };
        if (meta.round !== undefined) {
          broadcastLat.push(now - sentAt.get(meta.round)!);
          received.set(meta.round, (received.get(meta.round) ?? 0) + 1);
        } else if (meta.seq !== undefined) targetedLat.push(now - sentAt.get(-meta.seq - 1)!);
      });
    }
    console.log(`broadcast: ${ROUNDS} rounds to ${M} clients…`);
    let incomplete = 0;
    const bt0 = performance.now();
    const bcpu0 = { server: cpuSeconds(pid), bench: cpuSeconds('self') };
    for (let r = 0; r < ROUNDS; r++) {
      sentAt.set(r, performance.now());
      await client.post('realtime', '/api/broadcast', { groupId: 'bench', type: 'bench', title: `round ${r}`, message: 'x', metadata: { round: r } });
      const deadline = performance.now() + 10_000;
      while ((received.get(r) ?? 0) < M && performance.now() < deadline) await sleep(5);
      if ((received.get(r) ?? 0) < M) incomplete += 1;
      await sleep(100);
    }
    const bwall = (performance.now() - bt0) / 1000;
    const broadcastCpu = { realtime: round((cpuSeconds(pid) - bcpu0.server) / bwall, 2), benchClients: round((cpuSeconds('self') - bcpu0.bench) / bwall, 2) };
    const broadcast = summarize(broadcastLat);
    console.log(`  p50 ${broadcast.p50} ms, p99 ${broadcast.p99} ms, max ${broadcast.max} ms (${broadcast.count} deliveries, ${incomplete} incomplete rounds); CPU cores used: realtime ${broadcastCpu.realtime}, bench ${broadcastCpu.benchClients}`);

    // ---- targeted, twice: (a) one POST /api/notify per notification (persisted, then pushed);
    // (b) the path services use for per-user events: the realtime publisher, batched every 10 ms
    // into POST /internal/emit (`notification:new` to room user:<id>, not persisted).
    const runTargeted = async (label: string, send: (n: number, userId: number) => Promise<unknown> | void, flush?: () => Promise<void>) => {
      targetedLat.length = 0;
      console.log(`targeted ${label}: ${TARGETED_RATE}/s for ${TARGETED_SECONDS} s…`);
      let seq = 0;
      let failed = 0;
      const tickMs = 10;
      const total = TARGETED_RATE * TARGETED_SECONDS;
      const started = performance.now();
      const cpu0 = { server: cpuSeconds(pid), bench: cpuSeconds('self'), data: cpuSeconds(dataPid) };
      const pending: Promise<unknown>[] = [];
      while (seq < total) {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * TARGETED_RATE) + 1);
        while (seq < due) {
          const n = seq++;
          const to = users[(n * 7919) % users.length]!;
          sentAt.set(-n - 1, performance.now());
          const p = send(n, to.id);
          if (p) pending.push(p.catch(() => (failed += 1)));
        }
        await sleep(tickMs);
      }
      await flush?.();
      await Promise.all(pending);
      const sendSeconds = (performance.now() - started) / 1000;
      const deadline = performance.now() + 15_000;
      while (targetedLat.length < total - failed && performance.now() < deadline) await sleep(20);
      const lat = summarize(targetedLat);
      const wall = (performance.now() - started) / 1000;
      // where the time went: share of one core each process used over the phase
      const cpu = {
        realtime: round((cpuSeconds(pid) - cpu0.server) / wall, 2),
        dataNode: round((cpuSeconds(dataPid) - cpu0.data) / wall, 2),
        benchClients: round((cpuSeconds('self') - cpu0.bench) / wall, 2),
      };
      const achievedRate = Math.round(total / sendSeconds);
      console.log(`  sent ${total} in ${sendSeconds.toFixed(2)} s (${achievedRate}/s, ${failed} failed); delivered ${lat.count}`);
      console.log(`  p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms; CPU cores used: realtime ${cpu.realtime}, data_node ${cpu.dataNode}, bench ${cpu.benchClients}`);
      return { requestedRate: TARGETED_RATE, achievedRate, sent: total, failed, delivered: lat.count, latencyMs: lat, targetP99Ms: 50, cpuCores: cpu };
    };
    const viaApi = await runTargeted('via POST /api/notify', (n, userId) =>
      client.post('realtime', '/api/notify', { recipientId: userId, type: 'bench', title: 't', message: 'x', metadata: { seq: n } }, { timeoutMs: 30_000 }),
    );
    await sleep(1000);
    const publisher = createRealtimePublisher(client);
    const viaPublisher = await runTargeted(
      'via the realtime publisher',
      (n, userId) => publisher.emit({ event: 'notification:new', room: `user:${userId}`, data: { metadata: { seq: n } }, throttle: false }),
      () => publisher.flush(),
    );

    const rssEnd = rssBytes(pid);
    const result = {
      machine: machineInfo(),
      connections: M,
      connectSeconds: round(connectSeconds, 2),
      memory: { rssBeforeBytes: rssBefore, rssAfterBytes: rssAfter, rssAtEndBytes: rssEnd, perConnectionKB: round(perConn / 1024, 2), targetKB: 25 },
      loadAverage: os.loadavg().map((l) => round(l, 2)),
      broadcast: { rounds: ROUNDS, incompleteRounds: incomplete, latencyMs: broadcast, targetP99Ms: 250, cpuCores: broadcastCpu, path: 'POST /api/broadcast → data_node insert → emit to group room' },
      targeted: {
        api: { ...viaApi, path: 'POST /api/notify per notification → batched data_node insert → emit to user room' },
        publisher: { ...viaPublisher, path: 'createRealtimePublisher (10 ms batches) → POST /internal/emit → emit to user room' },
      },
      notes: 'clients and server share this machine; all clients run in the bench process; presence events off for bench clients (auth.presence=false)',
    };
    console.log(`wrote ${writeResult('realtime', result)}`);
  } finally {
    for (const s of sockets) s.close();
    await client.close();
    await sup.stopAll();
    fs.rmSync(env.SOCKET_DIR!, { recursive: true, force: true });
    fs.rmSync(env.DATA_DIR!, { recursive: true, force: true });
  }
}

await main();
