/**
 * npm run bench:rush — the registration rush end to end: N students with sessions each select
 * 3 of 50 courses (100-300 seats) at the same moment, through student_node over HTTP as a real
 * client would (student_node → queue_node → one group-committed transaction on data_node).
 * Prints decided selections per second and p50/p99 latency, checks that no course is oversold
 * and that every "selected" answer is an enrollment, and writes bench/results/rush.json
 * (rush-burst.json with --burst).
 *
 * Options: --students 10000 --courses 50 --picks 3 --concurrency 512 --transport http|unix --realtime
 *   --burst (all requests at once; see below)
 *   --warm (every student loads GET /student/stats first, filling student_node's session cache)
 *   --session-cache-ms N (student_node's SESSION_CACHE_MS; its default is 30000)
 *   --waitlist [--rounds 3] (the same rush with waitlists on: every pick is POST
 *     /student/waitlist/join, selected when a seat is free and waitlisted otherwise, and 20 % of
 *     the picks are swaps (a student's last pick names their first as swapFrom, sent once the
 *     others are answered). It runs the plain rush and the waitlist rush alternately, `rounds`
 *     of each, and compares the medians of their shares of the bare-HTTP ceiling (one ceiling
 *     per round, see waitlistMain); writes rush-waitlist.json)
 * By default every student's first request resolves its session through auth_node, in the rush.
 *
 * Two ways to load it, and they answer different questions:
 * - closed loop (default): `concurrency` requests in flight; a new one starts when one is
 *   answered. Latency is from sending to the answer, so it is the service's latency at that load,
 *   not what a student waits: time spent before sending is not counted.
 * - --burst: every request is issued at the same instant, as the issue describes. The pool opens
 *   `concurrency` connections and the rest wait in the client's pool for one; latency is from
 *   that instant, so it includes waiting behind everyone else. With
 *   S×P requests decided at R per second, the last answer comes after about S×P/R seconds, so
 *   p99 ≤ 1 s for 30,000 requests needs R ≥ ~30,000/s whatever the server does.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { type Actor, type SelectionDecided, type SelectionQueued } from '../contracts/courses.js';
import type { ServiceName } from '../contracts/services.js';

import { loadConfig } from '../shared/config.js';
import { dispatchJson } from '../shared/http-dispatch.js';
import { ServiceClient } from '../shared/service-client.js';
import { DEFAULT_SESSION_CACHE_MS } from '../shared/session-auth.js';
import { createCourse, mintSessions, openSelection, readBooks, seedUsers } from '../services/queue/testing/seed.js';
import { NodeHost } from '../supervisor/node-host.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { freePort } from '../testing/ports.js';
import { makeBenchEnv, processCpuSeconds, removeBenchDirs } from './bench-env.js';
import { startRawServer } from './raw-server.js';
import { machineInfo, round, summarize, writeResult } from './stats.js';
import { DataCourseRoutes } from '../contracts/routes/data-courses.js';
import { StudentRoutes } from '../contracts/routes/student.js';
import { QueueRoutes } from '../contracts/routes/queue.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const num = (name: string, def: number) => {
  const v = opt(name);
  const n = v === undefined ? def : Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number`);
  return n;
};
const STUDENTS = num('students', 10_000);
const COURSES = num('courses', 50);
const PICKS = Math.min(num('picks', 3), COURSES);
const CONCURRENCY = num('concurrency', 512);
const TRANSPORT = (opt('transport') ?? 'http') as 'http' | 'unix';
const WITH_REALTIME = argv.includes('--realtime');
/** students load their page (GET /student/stats) before the window opens, as they would */
const WARM = argv.includes('--warm');
/** every request issued at once (an open burst) instead of a closed loop */
const BURST = argv.includes('--burst');
/** student_node's SESSION_CACHE_MS for this run (its default, 30000, when not given) */
const SESSION_CACHE_MS = opt('session-cache-ms');
const WAITLIST = argv.includes('--waitlist');
/** share of the picks sent as swaps in --waitlist mode */
const SWAP_SHARE = 0.2;
/** --waitlist: rounds of (plain rush, waitlist rush) */
const ROUNDS = num('rounds', 3);
if (TRANSPORT !== 'http' && TRANSPORT !== 'unix') throw new Error('--transport is http or unix');

/** Deterministic, so two runs rush for the same seats. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CPU seconds each process, and this client, has used so far. */
function cpuSeconds(sup: Supervisor): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of sup.status().processes) if (p.pid) out[p.name] = processCpuSeconds(p.pid);
  out.client = processCpuSeconds('self');
  return out;
}

interface Selection {
  readonly student: number;
  readonly courseId: number;
  /** --waitlist: a swap, sent after the student's other picks are answered */
  readonly swapFrom?: number;
}

/** One student's select (or, with --waitlist, waitlist join), as the benchmark's client sends it. */
function selectVia(pool: Pool, token: string, sel: Selection, waitlist: boolean) {
  return dispatchJson<SelectionDecided | SelectionQueued | { error: { code: string } }>(
    pool,
    {
      method: 'POST',
      path: waitlist ? StudentRoutes.waitlistJoin.url : StudentRoutes.select.url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        sel.swapFrom === undefined ? { courseId: sel.courseId } : { courseId: sel.courseId, swapFrom: sel.swapFrom },
      ),
    },
    60_000,
  );
}

/** A student's picks: all at once, then the swaps (they need the first pick held). */
async function sendPlan(plan: readonly Selection[], send: (sel: Selection) => Promise<void>): Promise<void> {
  await Promise.all(plan.filter((s) => s.swapFrom === undefined).map(send));
  const swaps = plan.filter((s) => s.swapFrom !== undefined);
  if (swaps.length > 0) await Promise.all(swaps.map(send));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Every selection through `send`: all at once (--burst), or CONCURRENCY in flight. */
async function runLoad(plans: Selection[][], send: (sel: Selection) => Promise<void>): Promise<void> {
  if (BURST) {
    // every send() starts now, so each latency counts from this instant
    await Promise.all(plans.map((plan) => sendPlan(plan, send)));
    return;
  }
  // A closed loop over selections: CONCURRENCY workers, each with one request in flight. A
  // student's picks are next to each other in the line, so they go out together; a swap is sent
  // by whichever worker finished that student's last other pick. Counting requests rather than
  // students keeps the load the same whatever the share of swaps (a loop over students would
  // have fewer in flight while a swap waits for its student's other picks).
  const line = plans.flatMap((plan) => {
    const swaps = plan.filter((s) => s.swapFrom !== undefined);
    const first = plan.filter((s) => s.swapFrom === undefined);
    const left = { n: first.length };
    return first.map((sel) => ({ sel, left, swaps }));
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < line.length) {
        const item = line[next++]!;
        await send(item.sel);
        if (--item.left.n === 0) for (const swap of item.swaps) await send(swap);
      }
    }),
  );
}

const CEILING_PASSES = 3;

/**
 * The same client, connections and load against a bare node:http server that answers at once:
 * what this machine allows for the HTTP part alone, with the client on the same two cores.
 */
async function measureCeiling(
  plans: Selection[][],
  tokens: string[],
  socketDir: string,
  waitlist: boolean,
): Promise<number[]> {
  const answer: SelectionDecided = { status: 'selected', ticket: 1, courseId: 1, action: 'select' };
  const listen = TRANSPORT === 'unix' ? path.join(socketDir, 'raw.sock') : await freePort();
  const stop = await startRawServer(listen, answer);
  const pool =
    typeof listen === 'string'
      ? new Pool('http://localhost', { socketPath: listen, connections: CONCURRENCY })
      : new Pool(`http://127.0.0.1:${listen}`, { connections: CONCURRENCY });
  try {
    const send = async (sel: Selection) => {
      await selectVia(pool, tokens[sel.student]!, sel, waitlist);
    };
    // A first pass opens the connections and warms the JIT, and is not counted. One pass takes
    // a few seconds, and passes minutes apart differ by up to 1.8× on this machine: a share is
    // taken of the median of several.
    await runLoad(plans, send);
    const rates: number[] = [];
    for (let i = 0; i < CEILING_PASSES; i++) {
      const t0 = performance.now();
      await runLoad(plans, send);
      rates.push(round((plans.length * PICKS * 1000) / (performance.now() - t0), 0));
    }
    return rates;
  } finally {
    await pool.close();
    stop();
  }
}

/** What one rush measured: the figures, the books, and the ceiling measured after it. */
interface RushRun {
  readonly waitlist: boolean;
  readonly seats: number;
  readonly selections: number;
  readonly wallMs: number;
  readonly decidedPerSec: number;
  readonly decidedInTime: number;
  readonly queuedThenDecided: number;
  readonly lat: ReturnType<typeof summarize>;
  readonly statuses: Record<string, number>;
  readonly cpuDuringRush: Record<string, number>;
  readonly transactions: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly enrolledTotal: number;
  readonly violations: string[];
  readonly missing: number;
  readonly extra: number;
  readonly failures: string[];
  readonly invariantsOk: boolean;
  /** req/s of each ceiling pass, and their median */
  ceilingPasses: number[];
  ceiling: number;
}

/**
 * One rush on a fresh stack and database, then the ceiling: measured once the stack is
 * stopped, so nothing left over from the rush (a checkpoint, a collection) runs beside it.
 */
async function runRush(waitlist: boolean): Promise<RushRun> {
  const env = await makeBenchEnv({ HOST: '127.0.0.1', ...(SESSION_CACHE_MS ? { SESSION_CACHE_MS } : {}) });
  const config = loadConfig(env);
  const services: ServiceName[] = [
    'data_node',
    'auth_node',
    'student_node',
    'queue_node',
    ...(WITH_REALTIME ? (['realtime'] as const) : []),
  ];
  const sup = new Supervisor({ host: new NodeHost(), config, entryDir: here, env, services, forwardToRealtime: false });
  const client = new ServiceClient({ config, timeoutMs: 60_000 });
  let pool: Pool | undefined;
  let run: RushRun;
  let plans: Selection[][] = [];
  let tokens: string[] = [];
  try {
    await sup.startAll();
    console.log(
      `\nrush benchmark${waitlist ? ` with waitlists (${SWAP_SHARE * 100} % swaps)` : ''}: ${STUDENTS} students × ${PICKS} of ${COURSES} courses, ${BURST ? `all at once over ${CONCURRENCY} connections` : `${CONCURRENCY} in flight (closed loop)`} over ${TRANSPORT}${WITH_REALTIME ? ', realtime on' : ''}`,
    );

    // Seed: courses with 100-300 seats in distinct weekly slots (no time conflicts), students, sessions.
    const rand = prng(2026);
    const [admin] = await seedUsers(client, [{ role: 'admin', username: 'bench-admin', name: 'Bench Admin' }]);
    const actor: Actor = { userId: admin!.id, role: 'admin' };
    const courseIds: number[] = [];
    let seats = 0;
    for (let i = 0; i < COURSES; i++) {
      const capacity = 100 + Math.floor(rand() * 201);
      seats += capacity;
      const day = (i % 7) + 1;
      const hour = 7 + Math.floor(i / 7);
      const hh = (h: number) => String(h).padStart(2, '0');
      const c = await createCourse(client, actor, {
        code: `B${String(i).padStart(3, '0')}`,
        name: `Bench course ${i}`,
        capacity,
        credits: 3,
        slots: [{ day, start: `${hh(hour)}:00`, end: `${hh(hour)}:50` }],
      });
      courseIds.push(c.id);
    }
    const t0Seed = performance.now();
    const students = await seedUsers(
      client,
      Array.from({ length: STUDENTS }, (_, i) => ({
        role: 'student' as const,
        username: `bench${i}`,
        name: `Bench Student ${i}`,
        group: 'bench',
      })),
    );
    tokens = await mintSessions(
      client,
      students.map((s) => s.id),
    );
    console.log(
      `seeded ${COURSES} courses (${seats} seats), ${STUDENTS} students and sessions in ${Math.round(performance.now() - t0Seed)} ms`,
    );

    // Each student picks distinct courses and sends all picks at the same moment; students come
    // in a shuffled order.
    plans = students.map((_, s) => {
      const picked = new Set<number>();
      while (picked.size < PICKS) picked.add(courseIds[Math.floor(rand() * courseIds.length)]!);
      const [first, ...rest] = [...picked];
      // --waitlist: the last pick is a swap from the first often enough that 20 % of all picks
      // are swaps (one per student at most: a second would find the first pick already gone)
      const swapChance = PICKS > 1 ? Math.min(1, SWAP_SHARE * PICKS) : 0;
      return [
        { student: s, courseId: first! },
        ...rest.map((courseId, k) =>
          waitlist && k === rest.length - 1 && rand() < swapChance
            ? { student: s, courseId, swapFrom: first! }
            : { student: s, courseId },
        ),
      ];
    });
    for (let i = plans.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [plans[i], plans[j]] = [plans[j]!, plans[i]!];
    }
    const total = plans.length * PICKS;
    await openSelection(client, actor);

    pool =
      TRANSPORT === 'unix'
        ? new Pool('http://localhost', {
            socketPath: path.join(env.SOCKET_DIR!, 'student_node.sock'),
            connections: CONCURRENCY,
          })
        : new Pool(`http://127.0.0.1:${config.ports.student_node}`, { connections: CONCURRENCY });
    const p = pool;
    if (WARM) {
      const t0Warm = performance.now();
      let w = 0;
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, 128) }, async () => {
          while (w < tokens.length) {
            const res = await p.request({
              method: 'GET',
              path: StudentRoutes.stats.url,
              headers: { authorization: `Bearer ${tokens[w++]}` },
            });
            await res.body.dump();
          }
        }),
      );
      console.log(
        `warm-up: ${tokens.length} students loaded their page in ${Math.round(performance.now() - t0Warm)} ms`,
      );
    }
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const answers: Array<{ sel: Selection; status: string; ticket: number }> = [];
    const failures: string[] = [];
    const send = async (sel: Selection) => {
      const started = performance.now();
      try {
        const res = await selectVia(p, tokens[sel.student]!, sel, waitlist);
        const body = res.body;
        latencies.push(performance.now() - started);
        if ('status' in body) {
          statuses[body.status] = (statuses[body.status] ?? 0) + 1;
          answers.push({ sel, status: body.status, ticket: body.ticket });
        } else {
          failures.push(`${res.statusCode} ${body.error.code}`);
        }
      } catch (err) {
        failures.push((err as Error).message);
      }
    };
    const cpuBefore = cpuSeconds(sup);
    const queueBefore = await client.call(QueueRoutes.stats);
    // The machine is shared: its load says how much of the 2 cores this run could have had.
    const loadBefore = os.loadavg()[0]!;
    const t0 = performance.now();
    await runLoad(plans, send);
    const wallMs = performance.now() - t0;
    const cpuAfter = cpuSeconds(sup);
    const queueAfter = await client.call(QueueRoutes.stats);
    // Group commit's batch size: fewer requests in flight make smaller batches, so more commits.
    const transactions = queueAfter.batches - queueBefore.batches;
    const loadAfter = os.loadavg()[0]!;
    const cpuDuringRush = Object.fromEntries(
      Object.entries(cpuAfter).map(([k, v]) => [k, round(v - (cpuBefore[k] ?? 0), 2)]),
    );

    // Requests answered "queued" are decided later: wait for them before checking the books.
    const queued = answers.filter((a) => a.status === 'queued');
    for (const a of queued) {
      for (;;) {
        const st = await client.call(DataCourseRoutes.tickets, {
          body: {
            student: { studentId: students[a.sel.student]!.id, group: 'bench' },
          },
        });
        const t = st.tickets.find((x) => x.ticket === a.ticket);
        if (t && t.status) {
          a.status = t.status;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const decidedInTime = answers.length - queued.length;
    const lat = summarize(latencies);
    const decidedPerSec = round((decidedInTime / wallMs) * 1000, 0);

    // The books: counters = rows ≤ capacity, nobody twice, every "selected" is an enrollment.
    const books = await readBooks(client, actor);
    const selected = answers.filter((a) => a.status === 'selected');
    const missing = selected.filter(
      (a) => !books.enrollments.has(`${students[a.sel.student]!.id}:${a.sel.courseId}`),
    ).length;
    const extra = books.enrolledTotal - selected.length;
    // With waitlists a "selected" seat may be swapped away and promotions add seats nobody was
    // answered for, so only capacity and the counters are checked there (the crash and property
    // tests check the rest).
    const invariantsOk =
      books.violations.length === 0 && failures.length === 0 && (waitlist || (missing === 0 && extra === 0));
    run = {
      waitlist,
      seats,
      selections: total,
      wallMs,
      decidedPerSec,
      decidedInTime,
      queuedThenDecided: queued.length,
      lat,
      statuses,
      cpuDuringRush,
      transactions,
      loadBefore,
      loadAfter,
      enrolledTotal: books.enrolledTotal,
      violations: books.violations,
      missing,
      extra,
      failures,
      invariantsOk,
      ceilingPasses: [],
      ceiling: NaN,
    };
  } finally {
    await pool?.close();
    await client.close();
    await sup.stopAll();
  }
  try {
    run.ceilingPasses = await measureCeiling(plans, tokens, env.SOCKET_DIR!, waitlist);
    run.ceiling = median(run.ceilingPasses);
  } finally {
    removeBenchDirs(env);
  }
  return run;
}

/** The figures of one run, as printed after it. */
function printRun(run: RushRun): void {
  console.log(`\n${run.selections} selections in ${Math.round(run.wallMs)} ms`);
  console.log(
    `decided within the answer window: ${run.decidedInTime} (${run.queuedThenDecided} answered "queued", decided later)`,
  );
  console.log(`decided selections per second: ${run.decidedPerSec}   (target ≥ 10,000)`);
  console.log(
    `latency p50 ${run.lat.p50.toFixed(1)} ms   p99 ${run.lat.p99.toFixed(1)} ms   max ${run.lat.max.toFixed(1)} ms   (target p99 ≤ 1000 ms)`,
  );
  console.log(
    `1-minute load average: ${run.loadBefore.toFixed(1)} before, ${run.loadAfter.toFixed(1)} after (2 cores)`,
  );
  console.log(
    `CPU seconds during the rush: ${Object.entries(run.cpuDuringRush)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `data transactions during the rush: ${run.transactions} (${(run.selections / Math.max(1, run.transactions)).toFixed(1)} selections each on average)`,
  );
  console.log(
    `outcomes: ${Object.entries(run.statuses)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `enrolled ${run.enrolledTotal} of ${run.seats} seats; oversold courses: ${run.violations.length}; "selected" answers without an enrollment: ${run.missing}; enrollments without one: ${run.extra}; failed requests: ${run.failures.length}`,
  );
  if (run.failures.length) console.log(`first failures: ${run.failures.slice(0, 5).join(' | ')}`);
  console.log(`invariants: ${run.invariantsOk ? 'hold' : 'VIOLATED'}`);
  console.log(
    `ceiling: the same client and load against a bare node:http server that answers at once: ${run.ceiling} req/s (median of ${run.ceilingPasses.join(', ')}) (this run reached ${(share(run) * 100).toFixed(1)} % of it)`,
  );
}

const share = (run: RushRun) => run.decidedPerSec / run.ceiling;
const targetMet = (run: RushRun) => run.decidedPerSec >= 10_000 && run.lat.p99 <= 1000;

/** The figures a result file keeps of one run. */
function runFields(run: RushRun) {
  return {
    ceilingShare: round(share(run), 4),
    seats: run.seats,
    selections: run.selections,
    wallMs: round(run.wallMs, 1),
    decidedPerSec: run.decidedPerSec,
    decidedInWindow: run.decidedInTime,
    queuedThenDecided: run.queuedThenDecided,
    latencyMs: run.lat,
    outcomes: run.statuses,
    cpuSecondsDuringRush: run.cpuDuringRush,
    dataTransactions: run.transactions,
    loadAvg1m: { before: round(run.loadBefore, 2), after: round(run.loadAfter, 2) },
    enrolled: run.enrolledTotal,
    violations: run.violations,
    selectedWithoutEnrollment: run.missing,
    enrollmentsWithoutAnswer: run.extra,
    failures: run.failures.length,
    invariantsOk: run.invariantsOk,
    rawCeilingReqPerSec: run.ceiling,
    rawCeilingPasses: run.ceilingPasses,
    targetMet: targetMet(run),
  };
}

function setupFields() {
  return {
    students: STUDENTS,
    courses: COURSES,
    picks: PICKS,
    concurrency: CONCURRENCY,
    mode: BURST ? 'burst' : 'closed-loop',
    transport: TRANSPORT,
    realtime: WITH_REALTIME,
    warm: WARM,
    sessionCacheMs: SESSION_CACHE_MS ? Number(SESSION_CACHE_MS) : DEFAULT_SESSION_CACHE_MS,
    machine: { ...machineInfo(), cpus: os.cpus().length },
    targets: { decidedPerSec: 10_000, p99Ms: 1000 },
  };
}

/** The plain rush: one run, rush.json (rush-burst.json with --burst). */
async function plainMain(): Promise<void> {
  const run = await runRush(false);
  printRun(run);
  console.log(`target: ${targetMet(run) ? 'met' : 'NOT met'}`);
  const file = writeResult(BURST ? 'rush-burst' : 'rush', { waitlist: false, ...setupFields(), ...runFields(run) });
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  if (!run.invariantsOk) process.exitCode = 1;
}

/**
 * --waitlist: plain and waitlist rushes alternately, ROUNDS of each, in this one invocation. The
 * two rushes of a round are shares of one ceiling, the median of the round's passes (3 after
 * each rush): both rushes use the same client, connections and load, so it is one quantity, and
 * a ceiling measured on its own drifts by more than the 10 % being checked. The medians of the
 * rounds are compared; each rush's share of its own ceiling is printed and kept as well.
 */
async function waitlistMain(): Promise<void> {
  const rounds: Array<{ plain: RushRun; waitlist: RushRun; ceiling: number }> = [];
  for (let r = 1; r <= ROUNDS; r++) {
    console.log(`\n=== round ${r} of ${ROUNDS}: the plain rush, then the waitlist rush`);
    const plain = await runRush(false);
    printRun(plain);
    const wl = await runRush(true);
    printRun(wl);
    rounds.push({ plain, waitlist: wl, ceiling: median([...plain.ceilingPasses, ...wl.ceilingPasses]) });
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const plainShare = median(rounds.map((r) => r.plain.decidedPerSec / r.ceiling));
  const waitlistShare = median(rounds.map((r) => r.waitlist.decidedPerSec / r.ceiling));
  const ratio = waitlistShare / plainShare;
  const within = ratio >= 0.9;
  const ownRatio = median(rounds.map((r) => share(r.waitlist))) / median(rounds.map((r) => share(r.plain)));
  console.log(
    `\nshare of the round's ceiling (median of its ${2 * CEILING_PASSES} passes), waitlist rush / plain rush:`,
  );
  rounds.forEach((r, i) =>
    console.log(
      `  round ${i + 1}: ${pct(r.waitlist.decidedPerSec / r.ceiling)} / ${pct(r.plain.decidedPerSec / r.ceiling)} = ${(r.waitlist.decidedPerSec / r.plain.decidedPerSec).toFixed(2)}   (decided/s ${r.waitlist.decidedPerSec} / ${r.plain.decidedPerSec}; ceiling ${r.ceiling} req/s, passes ${[...r.plain.ceilingPasses, ...r.waitlist.ceilingPasses].join(', ')})`,
    ),
  );
  console.log(
    `medians: waitlist rush ${pct(waitlistShare)}, plain rush ${pct(plainShare)}: ${ratio.toFixed(2)} of it, ${within ? 'within' : 'NOT within'} 10 %`,
  );
  console.log(
    `each rush against its own ceiling instead: medians ${pct(median(rounds.map((r) => share(r.waitlist))))} / ${pct(median(rounds.map((r) => share(r.plain))))} = ${ownRatio.toFixed(2)}`,
  );
  const invariantsOk = rounds.every((r) => r.plain.invariantsOk && r.waitlist.invariantsOk);
  const file = writeResult('rush-waitlist', {
    waitlist: true,
    swapShare: SWAP_SHARE,
    ...setupFields(),
    rounds: rounds.map((r) => ({
      ceilingReqPerSec: r.ceiling,
      plain: runFields(r.plain),
      waitlist: runFields(r.waitlist),
    })),
    medianCeilingShare: { waitlist: round(waitlistShare, 4), plain: round(plainShare, 4) },
    shareRatio: round(ratio, 3),
    shareRatioOwnCeilings: round(ownRatio, 3),
    withinTenPercent: within,
    invariantsOk,
  });
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  if (!invariantsOk) process.exitCode = 1;
}

function main(): Promise<void> {
  return WAITLIST ? waitlistMain() : plainMain();
}
main().catch((err) => {
  console.error(`bench:rush: ${(err as Error).message}`);
  process.exit(1);
});
