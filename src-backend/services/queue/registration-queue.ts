import type { Logger } from 'pino';
import { type QueueRequestItem, type QueueResult, type QueueStats } from '../../contracts/courses.js';
import {
  type DataQueueSnapshotResponse,
  type DataQueueSubmitResponse,
  type DecidedTicket,
} from '../../contracts/routes/data-courses.js';
import type { ServiceClient } from '../../shared/service-client.js';
import type { SelectionEvents } from './selection-events.js';
import { DataCourseRoutes } from '../../contracts/routes/data-courses.js';
import { QueueMeter } from './queue-meter.js';

export interface RegistrationQueueOptions {
  /** answer 202 "queued" when a request is not decided within this (about 2 s: queued.test.ts) */
  readonly answerWithinMs?: number;
  /** requests persisted per data call */
  readonly maxBatch?: number;
  /** tickets decided per data transaction */
  readonly maxDecide?: number;
  /**
   * A pause after each transaction that only works off the backlog (unset: none). Tests set it, with
   * maxDecide 1, so a line stays long enough to be watched in a browser; it never delays new
   * requests, which still get their ticket at once.
   */
  readonly backlogPauseMs?: number;
  readonly logger?: Pick<Logger, 'warn' | 'info' | 'error'>;
}

interface Waiter {
  readonly item: QueueRequestItem;
  readonly resolve: (r: QueueResult) => void;
  readonly reject: (err: Error) => void;
  ticket: number | null;
  /** the answer window has passed: answer "queued" as soon as a ticket exists */
  late: boolean;
  done: boolean;
  /** when the answer window closes (performance.now() ms) */
  readonly lateAt: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The registration rush, one instance per queue_node. Requests wait here in arrival order;
 * one loop hands everything that has arrived to the data service in a single call, whose one
 * IMMEDIATE transaction persists them as tickets and decides them FIFO (group commit). While a
 * call is out, the next batch accumulates. Nothing is acknowledged before it is persisted.
 */
export class RegistrationQueue {
  private incoming: Waiter[] = [];
  /** a list: a re-sent request (same requestId, same ticket) may wait beside the original */
  private readonly byTicket = new Map<number, Waiter[]>();
  private readonly needPosition = new Set<Waiter>();
  /** undecided tickets on the data side; unknown (1) at start so a restart re-decides them */
  private pendingOnData = 1;
  private running = false;
  private closed = false;
  private positionTimer: NodeJS.Timeout | null = null;
  /** every waiter in arrival order; arrival order is deadline order, so a sweep checks the front */
  private byArrival: Waiter[] = [];
  private readonly lateSweep: NodeJS.Timeout;
  private readonly stats = { batches: 0, decided: 0, lastBatchSize: 0, lastBatchMs: 0 };
  private readonly answerWithinMs: number;
  private readonly maxBatch: number;
  private readonly maxDecide: number;
  private readonly sweep: NodeJS.Timeout;
  /** ends a backlog pause early (see RegistrationQueueOptions.backlogPauseMs) */
  private wakeFromPause: (() => void) | null = null;
  /** decided/s and decide latency for the registration board */
  readonly meter: QueueMeter;

  constructor(
    private readonly client: ServiceClient,
    private readonly events: SelectionEvents,
    private readonly opts: RegistrationQueueOptions = {},
  ) {
    this.answerWithinMs = opts.answerWithinMs ?? 2000;
    this.maxBatch = opts.maxBatch ?? 2000;
    this.maxDecide = Math.max(opts.maxDecide ?? 4000, 1);
    this.meter = new QueueMeter(() => this.pendingOnData + this.incoming.length);
    // Each second even when idle: undecided tickets (a safety net), reservations that expired
    // (their seats promote waitlists) and staff-made promotions waiting to be published all
    // come back from this one data call.
    this.sweep = setInterval(() => {
      this.pendingOnData = Math.max(this.pendingOnData, 1);
      this.kick();
    }, 1000);
    this.sweep.unref();
    // One timer for all waiters instead of one each: a rush has tens of thousands in flight.
    this.lateSweep = setInterval(() => this.sweepLate(), 50);
    this.lateSweep.unref();
    this.kick();
  }

  /** Resolves per request once decided, or "queued" after the answer window. */
  submit(items: readonly QueueRequestItem[]): Promise<QueueResult[]> {
    if (this.closed) return Promise.reject(new Error('queue closed'));
    const promises = items.map(
      (item) =>
        new Promise<QueueResult>((resolve, reject) => {
          const w: Waiter = {
            item,
            resolve,
            reject,
            ticket: null,
            late: false,
            done: false,
            lateAt: performance.now() + this.answerWithinMs,
          };
          this.incoming.push(w);
          this.byArrival.push(w);
        }),
    );
    this.wakeFromPause?.();
    this.kick();
    return Promise.all(promises);
  }

  snapshot(): QueueStats {
    return { pending: this.pendingOnData, waiting: this.incoming.length + this.byTicket.size, ...this.stats };
  }

  close(): void {
    this.closed = true;
    this.wakeFromPause?.();
    clearInterval(this.sweep);
    clearInterval(this.lateSweep);
    this.meter.close();
    if (this.positionTimer) clearTimeout(this.positionTimer);
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = true;
    void this.pump().finally(() => {
      this.running = false;
      if (!this.closed && (this.incoming.length > 0 || this.pendingOnData > 0)) this.kick();
    });
  }

  private async pump(): Promise<void> {
    let failures = 0;
    while (!this.closed && (this.incoming.length > 0 || this.pendingOnData > 0)) {
      const started = performance.now();
      try {
        if (this.incoming.length > 0) await this.submitBatch(this.incoming.splice(0, this.maxBatch));
        else {
          await this.decideBacklog();
          if (this.opts.backlogPauseMs) await this.pauseBacklog(this.opts.backlogPauseMs);
        }
        failures = 0;
      } catch (err) {
        failures++;
        this.opts.logger?.warn({ err: (err as Error).message }, 'data service call failed; retrying');
        await sleep(Math.min(2000, 100 * 2 ** Math.min(failures, 5)));
      }
      this.stats.lastBatchMs = Math.round((performance.now() - started) * 100) / 100;
    }
  }

  private async submitBatch(batch: Waiter[]): Promise<void> {
    let res: DataQueueSubmitResponse;
    try {
      res = await this.client.call(DataCourseRoutes.queueSubmit, {
        body: { requests: batch.map((w) => w.item), maxDecide: this.maxDecide },
        timeoutMs: 15_000,
      });
    } catch (err) {
      // Not known to be persisted: the caller's requests fail and student_node retries them with
      // the same requestIds, which the data service deduplicates if they did commit.
      for (const w of batch) this.finish(w, err as Error);
      throw err;
    }
    this.stats.batches++;
    this.stats.lastBatchSize = batch.length;
    res.tickets.forEach((t, i) => {
      const w = batch[i]!;
      if (t.rejected) {
        this.finish(w, {
          requestId: t.requestId,
          outcome: 'rejected',
          reason: t.rejected,
          courseId: t.courseId,
          action: t.action,
        });
      } else {
        w.ticket = t.ticket!;
        const list = this.byTicket.get(w.ticket);
        if (list) list.push(w);
        else this.byTicket.set(w.ticket, [w]);
      }
    });
    this.applyDecisions(res.decided, res.seats);
    this.pendingOnData = res.pending;
    // Persisted but undecided, and already past the answer window: answer "queued" now.
    for (const w of batch) if (!w.done && w.late) this.askPosition(w);
  }

  /** Sleep between backlog transactions; a new arrival (or close) ends the pause at once. */
  private pauseBacklog(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeFromPause = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeFromPause = done;
    });
  }

  private async decideBacklog(): Promise<void> {
    const res = await this.client.call(DataCourseRoutes.queueDecide, {
      body: { max: this.maxDecide },
      timeoutMs: 15_000,
    });
    if (res.decided.length > 0) this.stats.batches++;
    this.applyDecisions(res.decided, res.seats);
    this.pendingOnData = res.pending;
  }

  private applyDecisions(decided: readonly DecidedTicket[], seats: DataQueueSubmitResponse['seats']): void {
    this.stats.decided += decided.length;
    const now = performance.now();
    for (const d of decided) {
      this.events.outcome(d);
      // a promotion answers nobody: its join was answered `waitlisted` long ago
      if (d.status === 'promoted') continue;
      const waiters = this.byTicket.get(d.ticket);
      this.meter.record(waiters ? now - (waiters[0]!.lateAt - this.answerWithinMs) : null);
      for (const w of [...(waiters ?? [])]) {
        const r: QueueResult = {
          requestId: w.item.requestId,
          outcome: 'decided',
          courseId: d.courseId,
          action: d.action,
          status: d.status,
          ticket: d.ticket,
          ...(d.position !== undefined ? { position: d.position } : {}),
          ...(d.opensAt !== undefined ? { opensAt: d.opensAt } : {}),
          ...(d.swappedFrom !== undefined ? { swappedFrom: d.swappedFrom } : {}),
        };
        this.finish(w, r);
      }
    }
    for (const s of seats) this.events.seats(s);
  }

  private sweepLate(): void {
    const now = performance.now();
    let i = 0;
    for (; i < this.byArrival.length; i++) {
      const w = this.byArrival[i]!;
      if (w.done) continue;
      if (w.lateAt > now) break;
      w.late = true;
      if (w.ticket !== null) this.askPosition(w);
      // else: not persisted yet; answered "queued" when its batch returns
    }
    if (i > 0) this.byArrival = this.byArrival.slice(i);
    // drop answered waiters at the front so the array does not grow through a long rush
    while (this.byArrival.length > 0 && this.byArrival[0]!.done) this.byArrival.shift();
  }

  /** Positions come from the data service (it also knows tickets taken before a restart). */
  private askPosition(w: Waiter): void {
    this.needPosition.add(w);
    this.positionTimer ??= setTimeout(() => void this.answerQueued(), 10);
  }

  private async answerQueued(): Promise<void> {
    this.positionTimer = null;
    const waiters = [...this.needPosition].filter((w) => !w.done);
    this.needPosition.clear();
    if (waiters.length === 0) return;
    let positions: Map<number, DataQueueSnapshotResponse['positions'][number]> | null = null;
    try {
      const res = await this.client.call(DataCourseRoutes.queueSnapshot, {
        body: {
          tickets: waiters.map((w) => w.ticket!),
        },
      });
      positions = new Map(res.positions.map((p) => [p.ticket, p]));
    } catch (err) {
      this.opts.logger?.warn({ err: (err as Error).message }, 'could not read queue positions');
    }
    for (const w of waiters) {
      if (w.done) continue; // decided while we asked
      if (positions && !positions.has(w.ticket!)) {
        // the ticket went with its course (deleted while the request waited)
        this.finish(w, {
          requestId: w.item.requestId,
          outcome: 'rejected',
          reason: 'unknown_course',
          courseId: w.item.courseId,
          action: w.item.action,
        });
        continue;
      }
      const snap = positions?.get(w.ticket!);
      if (snap?.status) {
        // decided, and this answer may be the first we hear of it (its batch's reply was lost)
        this.finish(w, {
          requestId: w.item.requestId,
          outcome: 'decided',
          courseId: w.item.courseId,
          action: w.item.action,
          status: snap.status,
          ticket: w.ticket!,
        });
        continue;
      }
      this.finish(w, {
        requestId: w.item.requestId,
        outcome: 'queued',
        courseId: w.item.courseId,
        action: w.item.action,
        ticket: w.ticket!,
        // 1 when the data service did not answer: GET /student/queue/status has the real place
        position: snap?.position ?? 1,
      });
    }
  }

  private finish(w: Waiter, result: QueueResult | Error): void {
    if (w.ticket !== null) {
      const rest = (this.byTicket.get(w.ticket) ?? []).filter((x) => x !== w);
      if (rest.length > 0) this.byTicket.set(w.ticket, rest);
      else this.byTicket.delete(w.ticket);
    }
    if (w.done) return;
    w.done = true;
    if (result instanceof Error) w.reject(result);
    else w.resolve(result);
  }
}
