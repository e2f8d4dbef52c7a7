import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { ConsoleRequest, ConsoleResponse } from '@contracts/console-api';
import type { QueueTicket } from '@contracts/courses';
import { ApiClient } from '../../src/api/client';
import { installApi } from '../../src/api/instance';
import { MemoryTransport } from '../../src/testing/memory-transport';
import { useLiveStore } from './live';
import { useSelectionStore } from './selection';

/** A transport whose answers the test scripts one by one; a thrown Error is a lost answer (network). */
class ScriptedTransport extends MemoryTransport {
  readonly script: Array<ConsoleResponse | Error> = [];
  override async send(req: ConsoleRequest): Promise<ConsoleResponse> {
    if (req.path.startsWith('/student/course/')) {
      this.requests.push(req);
      const next = this.script.shift();
      if (!next) throw new Error('script ran out');
      if (next instanceof Error) throw next;
      return next;
    }
    return super.send(req);
  }
}

const ticket = (over: Partial<QueueTicket>): QueueTicket => ({
  ticket: 7,
  courseId: 5,
  courseCode: 'ALG',
  action: 'select',
  status: null,
  position: null,
  createdAt: '2026-12-03T08:00:00Z',
  decidedAt: null,
  ...over,
});

describe('useSelectionStore: the queue answer, honestly', () => {
  let transport: ScriptedTransport;
  let queue: QueueTicket[];

  beforeEach(() => {
    setActivePinia(createPinia());
    queue = [];
    transport = new ScriptedTransport();
    transport.on('GET', 'student_node', /^\/student\/queue\/status$/, () => ({
      status: 200,
      body: { pending: queue.filter((t) => !t.status).length, tickets: queue },
    }));
    installApi(new ApiClient(transport)).setToken('student-token');
  });
  afterEach(() => useLiveStore().closeAll());

  it('a 202 shows "queued" with its position, follows the queue, then shows the decision once', async () => {
    const s = useSelectionStore();
    const decided: string[] = [];
    s.onDecided((a) => decided.push(a.status!));
    transport.script.push({
      status: 202,
      body: { status: 'queued', ticket: 7, position: 3, courseId: 5, action: 'select' },
    });
    const a = await s.submit(5, 'select');
    expect(a).toMatchObject({ phase: 'queued', ticket: 7, position: 3, status: null });

    queue = [ticket({ position: 1 })];
    await s.pollQueue();
    expect(s.attemptFor(5)).toMatchObject({ phase: 'queued', position: 1 });

    queue = [ticket({ status: 'full', decidedAt: '2026-12-03T08:00:02Z' })];
    await s.pollQueue();
    await s.pollQueue();
    expect(s.attemptFor(5)).toMatchObject({ phase: 'decided', status: 'full', position: null });
    expect(decided).toEqual(['full']);
  });

  it('a lost answer keeps its Idempotency-Key for every retry; a new request gets a new key', async () => {
    const s = useSelectionStore();
    const lost = new Error('connection reset');
    transport.script.push(lost, lost);
    const a = await s.submit(5, 'select');
    expect(a.phase).toBe('lost');
    expect(a.problem?.message).toMatch(/Cannot reach the server/);
    transport.script.push({ status: 200, body: { status: 'selected', ticket: 9, courseId: 5, action: 'select' } });
    expect(await s.submit(5, 'select')).toMatchObject({ phase: 'decided', status: 'selected', ticket: 9 });
    const keys = transport.requests.filter((r) => r.path === '/student/course/select').map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3); // first try, the quiet retry, the student's retry
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);

    transport.script.push({ status: 200, body: { status: 'deselected', ticket: 10, courseId: 5, action: 'deselect' } });
    await s.submit(5, 'deselect');
    expect(transport.requests.at(-1)!.idempotencyKey).not.toBe(keys[0]);
  });

  it('503 is retried once quietly and then offered again; 429 says how long to wait; 403 is a plain refusal', async () => {
    const s = useSelectionStore();
    const busy = { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'draining' } } };
    transport.script.push(busy, busy);
    expect(await s.submit(5, 'select')).toMatchObject({ phase: 'lost', problem: { kind: 'busy', retryable: true } });

    transport.script.push({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'slow down', details: { retryAfterSeconds: 12.2 } } },
    });
    expect(await s.submit(6, 'select')).toMatchObject({
      phase: 'lost',
      problem: { kind: 'rate-limited', retryAfterSeconds: 13 },
    });

    transport.script.push({
      status: 403,
      body: { error: { code: 'COURSE_NOT_OPEN', message: 'course 7 is not open to your group' } },
    });
    expect(await s.submit(7, 'select')).toMatchObject({
      phase: 'refused',
      problem: { message: 'Course 7 is not open to your group.', retryable: false },
    });
  });

  it('a second click while the first is in flight does not send a second request', async () => {
    const s = useSelectionStore();
    transport.script.push({
      status: 202,
      body: { status: 'queued', ticket: 7, position: 1, courseId: 5, action: 'select' },
    });
    await s.submit(5, 'select');
    await s.submit(5, 'select');
    expect(transport.requests.filter((r) => r.path === '/student/course/select')).toHaveLength(1);
  });
});
