/**
 * npm run bench:realtime — M concurrent socket.io-client connections (2,000 by default) against
 * the real realtime process (with the real data_node and auth_node behind it):
 *   1. connect M authenticated clients; memory per connection = realtime RSS growth / M;
 *   2. broadcast latency: POST /api/broadcast (persisted, then pushed) until every client has it,
 *      p50/p99 over all deliveries of all rounds;
 *   3. targeted notifications: POST /api/notify to random connected users at R/s (5,000 by
 *      default) for a few seconds; p50/p99 from send to the recipient's `notification:new`.
 * Figures, not assertions. The clients run in `--client-procs` child processes (2 by default),
 * each timestamping what it receives against the wall clock the sender stamped into the payload.
 * More connections: raise `ulimit -n` (each client is one fd in a client process and one in the
 * server), e.g. `ulimit -n 65536 && npm run bench:realtime -- --connections 10000`.
 * Options: --connections M, --rounds N, --rate R, --seconds S, --client-procs P.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';

import { Rooms, type Notification } from '../contracts/realtime.js';

import { loadConfig } from '../shared/config.js';
import { createRealtimePublisher } from '../shared/realtime-publisher.js';
import { ServiceClient } from '../shared/service-client.js';
import { NodeHost } from '../supervisor/node-host.js';
import { Supervisor } from '../supervisor/supervisor.js';

import { makeBenchEnv, processCpuSeconds, removeBenchDirs } from './bench-env.js';
import { machineInfo, round, summarize, writeResult } from './stats.js';
import { DataIdentityRoutes } from '../contracts/routes/data-identity.js';

import { RealtimeRoutes } from '../contracts/routes/realtime.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const M = arg('connections', 2000);
const ROUNDS = arg('rounds', 20);
const TARGETED_RATE = arg('rate', 5000);
const TARGETED_SECONDS = arg('seconds', 5);
const CLIENT_PROCS = Math.max(1, arg('client-procs', 2));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    const ins = await client.call(DataIdentityRoutes.insertUsers, { body: { users, atomic: true }, timeoutMs: 60_000 });
    const ids = ins.results.map((r) => r.id!);
    const ses = await client.call(DataIdentityRoutes.createSessions, {
      body: { userIds: ids, idleSeconds: 3600 },
      timeoutMs: 60_000,
    });
    out.push(...ses.sessions.map((s) => ({ id: s.userId, token: s.token })));
  }
  return out;
}

/** Wall-clock ms with sub-ms precision, comparable between processes on one machine. */
const wallNow = () => performance.timeOrigin + performance.now();

type Phase = 'broadcast' | 'api' | 'publisher';
type Meta = {
  phase?: Phase;
  round?: number;
  sentAt?: number;
};
type ToClient =
  { type: 'connect'; url: string; tokens: string[] } | { type: 'report'; phase: Phase } | { type: 'close' };
type FromClient =
  | { type: 'connected'; n: number }
  | { type: 'error'; message: string }
  | { type: 'progress'; rounds: Record<string, number>; targeted: number }
  | { type: 'latencies'; phase: Phase; values: number[] };

function connectOne(url: string, token: string): Promise<Socket> {
  const s = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token, presence: false },
    timeout: 60_000,
  });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

/** A client process: connects its share of the users and reports what arrives, when. */
async function clientMain(): Promise<void> {
  const send = (m: FromClient) => process.send!(m);
  const sockets: Socket[] = [];
  const lat: Record<Phase, number[]> = { broadcast: [], api: [], publisher: [] };
  let rounds: Record<string, number> = {};
  let targeted = 0;
  const onNote = (n: Notification) => {
    const now = wallNow();
    const meta = n.metadata as Meta;
    if (!meta.phase || meta.sentAt === undefined) return;
    lat[meta.phase].push(now - meta.sentAt);
    if (meta.phase === 'broadcast') rounds[String(meta.round)] = (rounds[String(meta.round)] ?? 0) + 1;
    else targeted += 1;
  };
  const progress = setInterval(() => {
    if (targeted === 0 && Object.keys(rounds).length === 0) return;
    send({ type: 'progress', rounds, targeted });
    rounds = {};
    targeted = 0;
  }, 20);
  process.on('message', (m: ToClient) => {
    if (m.type === 'connect') {
      void (async () => {
        try {
          for (let i = 0; i < m.tokens.length; i += 100) {
            const batch = await Promise.all(m.tokens.slice(i, i + 100).map((t) => connectOne(m.url, t)));
            for (const s of batch) s.on('notification:new', onNote);
            sockets.push(...batch);
          }
          send({ type: 'connected', n: sockets.length });
        } catch (err) {
          send({ type: 'error', message: (err as Error).message });
        }
      })();
    } else if (m.type === 'report') {
      send({ type: 'latencies', phase: m.phase, values: lat[m.phase] });
      lat[m.phase] = [];
    } else {
      clearInterval(progress);
      for (const s of sockets) s.close();
      process.disconnect();
    }
  });
}

/**
 * The ceiling: a bare Socket.IO server in its own process, with no auth, no store and no
 * persistence, that emits to every connection when the parent says so. The same clients and
 * the same measurement as the real broadcast show what Socket.IO itself costs on this machine.
 */
async function bareServerMain(): Promise<void> {
  const { createServer } = await import('node:http');
  const { Server } = await import('socket.io');
  const server = createServer();
  const io = new Server(server, { serveClient: false, transports: ['websocket'] });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
  process.on('message', (m: { type: 'emit'; metadata: Meta } | { type: 'close' }) => {
    if (m.type === 'emit') {
      io.emit('notification:new', { id: 0, type: 'bench', title: 'ceiling', message: 'x', metadata: m.metadata });
    } else {
      void io.close();
      process.disconnect();
    }
  });
}

/** The parent's handle on its client processes. */
class ClientFleet {
  readonly roundCounts = new Map<number, number>();
  targeted = 0;
  private readonly waiting = new Map<ChildProcess, (m: FromClient) => void>();

  constructor(private readonly procs: ChildProcess[]) {
    for (const p of procs) {
      p.on('message', (m: FromClient) => {
        if (m.type === 'progress') {
          for (const [r, n] of Object.entries(m.rounds))
            this.roundCounts.set(Number(r), (this.roundCounts.get(Number(r)) ?? 0) + n);
          this.targeted += m.targeted;
        } else this.waiting.get(p)?.(m);
      });
    }
  }

  static start(n: number): ClientFleet {
    return new ClientFleet(
      Array.from({ length: n }, () =>
        fork(fileURLToPath(import.meta.url), ['--client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
      ),
    );
  }

  pids(): number[] {
    return this.procs.map((p) => p.pid!);
  }

  private ask(p: ChildProcess, msg: ToClient): Promise<FromClient> {
    return new Promise((resolve) => {
      this.waiting.set(p, (m) => {
        this.waiting.delete(p);
        resolve(m);
      });
      p.send(msg);
    });
  }

  async connect(url: string, tokens: string[]): Promise<void> {
    const share = Math.ceil(tokens.length / this.procs.length);
    const res = await Promise.all(
      this.procs.map((p, i) => this.ask(p, { type: 'connect', url, tokens: tokens.slice(i * share, (i + 1) * share) })),
    );
    const bad = res.find((r) => r.type === 'error');
    if (bad && bad.type === 'error') throw new Error(`a client could not connect: ${bad.message}`);
  }

  async latencies(phase: Phase): Promise<number[]> {
    const res = await Promise.all(this.procs.map((p) => this.ask(p, { type: 'report', phase })));
    return res.flatMap((r) => (r.type === 'latencies' ? r.values : []));
  }

  close(): void {
    for (const p of this.procs) if (p.connected) p.send({ type: 'close' } satisfies ToClient);
  }
}

type BroadcastRounds = (f: ClientFleet, emit: (metadata: Meta, r: number) => Promise<unknown>) => Promise<number>;

async function bareCeiling(tokens: string[], broadcastRounds: BroadcastRounds) {
  const server = fork(fileURLToPath(import.meta.url), ['--bare-io'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const fleet = ClientFleet.start(CLIENT_PROCS);
  try {
    const port = await new Promise<number>((resolve) =>
      server.once('message', (m: { port: number }) => resolve(m.port)),
    );
    await fleet.connect(`http://127.0.0.1:${port}`, tokens);
    await sleep(1000);
    const incompleteRounds = await broadcastRounds(fleet, async (metadata) => {
      server.send({ type: 'emit', metadata });
    });
    return { rounds: ROUNDS, incompleteRounds, latencyMs: summarize(await fleet.latencies('broadcast')) };
  } finally {
    fleet.close();
    if (server.connected) server.send({ type: 'close' });
  }
}

async function main(): Promise<void> {
  const env = await makeBenchEnv();
  const config = loadConfig(env);
  const sup = new Supervisor({
    host: new NodeHost(),
    config,
    entryDir: here,
    env,
    services: ['data_node', 'auth_node', 'realtime'],
    forwardToRealtime: false,
  });
  // /api/notify waits for its group commit, so throughput is (requests in flight) / (commit time):
  // enough connections that a commit carries hundreds of notifications
  const client = new ServiceClient({ config, connections: 512 });
  const fleet = ClientFleet.start(CLIENT_PROCS);
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
    await fleet.connect(
      url,
      users.map((u) => u.token),
    );
    const connectSeconds = (performance.now() - t0) / 1000;
    await sleep(1000);
    const rssAfter = rssBytes(pid);
    const perConn = (rssAfter - rssBefore) / M;
    console.log(
      `connected in ${connectSeconds.toFixed(1)} s; RSS ${Math.round(rssAfter / 1e6)} MB, ${(perConn / 1024).toFixed(1)} KB per connection`,
    );

    // ---- broadcast: every client must get each round
    const benchCpu = () => processCpuSeconds('self') + fleet.pids().reduce((a, p) => a + processCpuSeconds(p), 0);
    console.log(`broadcast: ${ROUNDS} rounds to ${M} clients…`);
    /** `rounds` broadcasts through `emit`, each waited for until every client has it */
    const broadcastRounds = async (f: ClientFleet, emit: (metadata: Meta, r: number) => Promise<unknown>) => {
      let missed = 0;
      for (let r = 0; r < ROUNDS; r++) {
        await emit({ phase: 'broadcast', round: r, sentAt: wallNow() }, r);
        const deadline = performance.now() + 10_000;
        while ((f.roundCounts.get(r) ?? 0) < M && performance.now() < deadline) await sleep(5);
        if ((f.roundCounts.get(r) ?? 0) < M) missed += 1;
        await sleep(100);
      }
      return missed;
    };
    const bt0 = performance.now();
    const bcpu0 = { server: processCpuSeconds(pid), bench: benchCpu() };
    const incomplete = await broadcastRounds(fleet, (metadata, r) =>
      client.call(RealtimeRoutes.broadcast, {
        body: {
          groupId: 'bench',
          type: 'bench',
          title: `round ${r}`,
          message: 'x',
          metadata,
        },
      }),
    );
    const bwall = (performance.now() - bt0) / 1000;
    const broadcastCpu = {
      realtime: round((processCpuSeconds(pid) - bcpu0.server) / bwall, 2),
      benchClients: round((benchCpu() - bcpu0.bench) / bwall, 2),
    };
    const broadcast = summarize(await fleet.latencies('broadcast'));
    console.log(
      `  p50 ${broadcast.p50} ms, p99 ${broadcast.p99} ms, max ${broadcast.max} ms (${broadcast.count} deliveries, ${incomplete} incomplete rounds); CPU cores used: realtime ${broadcastCpu.realtime}, bench ${broadcastCpu.benchClients}`,
    );

    // ---- targeted, twice: (a) one POST /api/notify per notification (persisted, then pushed);
    // (b) the path services use for per-user events: the realtime publisher, batched every 10 ms
    // into POST /internal/emit (`notification:new` to room user:<id>, not persisted).
    const runTargeted = async (
      phase: Phase,
      label: string,
      send: (userId: number, metadata: Meta) => Promise<unknown> | void,
      flush?: () => Promise<void>,
    ) => {
      fleet.targeted = 0;
      console.log(`targeted ${label}: ${TARGETED_RATE}/s for ${TARGETED_SECONDS} s…`);
      let seq = 0;
      let failed = 0;
      const tickMs = 10;
      const total = TARGETED_RATE * TARGETED_SECONDS;
      const started = performance.now();
      const cpu0 = { server: processCpuSeconds(pid), bench: benchCpu(), data: processCpuSeconds(dataPid) };
      const pending: Promise<unknown>[] = [];
      while (seq < total) {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * TARGETED_RATE) + 1);
        while (seq < due) {
          const n = seq++;
          const to = users[(n * 7919) % users.length]!;
          const p = send(to.id, { phase, sentAt: wallNow() });
          if (p) pending.push(p.catch(() => (failed += 1)));
        }
        await sleep(tickMs);
      }
      await flush?.();
      await Promise.all(pending);
      const sendSeconds = (performance.now() - started) / 1000;
      const deadline = performance.now() + 15_000;
      while (fleet.targeted < total - failed && performance.now() < deadline) await sleep(20);
      const lat = summarize(await fleet.latencies(phase));
      const wall = (performance.now() - started) / 1000;
      // where the time went: share of one core each process used over the phase
      const cpu = {
        realtime: round((processCpuSeconds(pid) - cpu0.server) / wall, 2),
        dataNode: round((processCpuSeconds(dataPid) - cpu0.data) / wall, 2),
        benchClients: round((benchCpu() - cpu0.bench) / wall, 2),
      };
      const achievedRate = Math.round(total / sendSeconds);
      console.log(
        `  sent ${total} in ${sendSeconds.toFixed(2)} s (${achievedRate}/s, ${failed} failed); delivered ${lat.count}`,
      );
      console.log(
        `  p50 ${lat.p50} ms, p99 ${lat.p99} ms, max ${lat.max} ms; CPU cores used: realtime ${cpu.realtime}, data_node ${cpu.dataNode}, bench ${cpu.benchClients}`,
      );
      return {
        requestedRate: TARGETED_RATE,
        achievedRate,
        sent: total,
        failed,
        delivered: lat.count,
        latencyMs: lat,
        targetP99Ms: 50,
        cpuCores: cpu,
      };
    };
    const viaApi = await runTargeted('api', 'via POST /api/notify', (userId, metadata) =>
      client.call(RealtimeRoutes.notify, {
        body: { recipientId: userId, type: 'bench', title: 't', message: 'x', metadata },
        timeoutMs: 30_000,
      }),
    );
    await sleep(1000);
    const publisher = createRealtimePublisher(client);
    const viaPublisher = await runTargeted(
      'publisher',
      'via the realtime publisher',
      (userId, metadata) =>
        publisher.emit({
          event: 'notification:new',
          room: Rooms.user(userId),
          // a whole notification, as the contract says, though only its metadata is read here
          data: {
            id: 0,
            recipientId: userId,
            senderId: null,
            audience: null,
            type: 'bench',
            title: 't',
            message: 'x',
            metadata: { ...metadata },
            read: false,
            createdAt: new Date().toISOString(),
          },
          throttle: false,
        }),
      () => publisher.flush(),
    );

    const rssEnd = rssBytes(pid);

    // ---- the ceiling: the same broadcast measurement against a bare Socket.IO server
    fleet.close();
    const ceiling = await bareCeiling(
      users.map((u) => u.token),
      broadcastRounds,
    );
    console.log(
      `ceiling: a bare Socket.IO server (no auth, store or persistence) broadcasting to the same ${M} clients: p50 ${ceiling.latencyMs.p50} ms, p99 ${ceiling.latencyMs.p99} ms (${ceiling.incompleteRounds} incomplete rounds)`,
    );
    const result = {
      machine: machineInfo(),
      connections: M,
      connectSeconds: round(connectSeconds, 2),
      memory: {
        rssBeforeBytes: rssBefore,
        rssAfterBytes: rssAfter,
        rssAtEndBytes: rssEnd,
        perConnectionKB: round(perConn / 1024, 2),
        targetKB: 25,
      },
      loadAverage: os.loadavg().map((l) => round(l, 2)),
      broadcast: {
        rounds: ROUNDS,
        incompleteRounds: incomplete,
        latencyMs: broadcast,
        targetP99Ms: 250,
        cpuCores: broadcastCpu,
        path: 'POST /api/broadcast → data_node insert → emit to group room',
      },
      targeted: {
        api: { ...viaApi, path: 'POST /api/notify per notification → batched data_node insert → emit to user room' },
        publisher: {
          ...viaPublisher,
          path: 'createRealtimePublisher (10 ms batches) → POST /internal/emit → emit to user room',
        },
      },
      bareSocketIoBroadcastCeiling: ceiling,
      clientProcesses: CLIENT_PROCS,
      notes: 'clients and server share this machine; presence events off for bench clients (auth.presence=false)',
    };
    console.log(`wrote ${writeResult('realtime', result)}`);
  } finally {
    fleet.close();
    await client.close();
    await sup.stopAll();
    removeBenchDirs(env);
  }
}

if (process.argv.includes('--client')) await clientMain();
else if (process.argv.includes('--bare-io')) await bareServerMain();
else await main();
