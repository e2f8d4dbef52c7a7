import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { WaitlistEntry } from '@contracts/registrar';
import type { MemoryTransport } from '../../src/testing/memory-transport';
import { startLiveServer, until, type LiveServer } from '../testing/live-server';
import { signedIn } from '../testing/signed-in';
import { useLiveStore } from './live';
import { useSelectionStore } from './selection';
import { useWaitlistStore } from './waitlist';

const entry = (courseId: number, position: number, swapFrom: number | null = null): WaitlistEntry => ({
  courseId,
  position,
  swapFrom,
  joinedAt: '2026-12-03T08:00:00Z',
});
const CODES: Record<number, string> = { 5: 'ALG', 6: 'NET', 9: 'DB' };

describe('useWaitlistStore: joins with swap, positions, and promotions as they arrive', () => {
  let server: LiveServer;
  let transport: MemoryTransport;
  let onList: WaitlistEntry[];
  let joins: unknown[];
  let joinAnswer: { status: number; body: unknown };

  beforeEach(async () => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    server = await startLiveServer();
    server.tokens.add('tok-wl');
    transport = await signedIn(3, 'tok-wl');
    onList = [];
    joins = [];
    joinAnswer = { status: 200, body: { status: 'waitlisted', ticket: 41, courseId: 5, action: 'join', position: 2 } };
    transport
      .on('GET', 'student_node', /^\/student\/waitlist$/, () => ({ status: 200, body: { entries: onList } }))
      .on('POST', 'student_node', /^\/student\/course\/detail$/, (req) => {
        const id = (req.body as { courseId: number }).courseId;
        return { status: 200, body: { course: { id, code: CODES[id] } } };
      })
      .on('POST', 'student_node', /^\/student\/waitlist\/join$/, (req) => {
        joins.push(req.body);
        if (joinAnswer.status === 200) onList = [entry(5, 2, 9)];
        return joinAnswer;
      });
  });
  afterEach(async () => {
    useLiveStore().closeAll();
    await server.close();
  });

  it('a join sends the swap, shows its place in line, and the list is read again with course codes', async () => {
    const selection = useSelectionStore();
    const waitlist = useWaitlistStore();
    waitlist.start();
    const a = await selection.submit(5, 'join', 9);
    expect(joins).toEqual([{ courseId: 5, swapFrom: 9 }]);
    expect(a).toMatchObject({ phase: 'decided', status: 'waitlisted', position: 2, swapFrom: 9 });
    await until(() => waitlist.entries.length === 1 && waitlist.codeOf(9) === 'DB');
    expect(waitlist.entryFor(5)).toMatchObject({ position: 2, swapFrom: 9 });
    expect(waitlist.codeOf(5)).toBe('ALG');
    expect(transport.requests.find((r) => r.path === '/student/waitlist/join')!.idempotencyKey).toMatch(/^[\w.:-]+$/);
  });

  it('a promotion clears the card\'s "you are number N on the waitlist": the seat is theirs now', async () => {
    const selection = useSelectionStore();
    const waitlist = useWaitlistStore();
    waitlist.start();
    await selection.submit(5, 'join', 9);
    expect(selection.attemptFor(5)).toMatchObject({ status: 'waitlisted', position: 2 });
    await until(() => useLiveStore().state('/courses') === 'live');
    server.emit('/courses', 'selection:outcome', { ticket: 41, courseId: 5, action: 'join', status: 'promoted' });
    await until(() => selection.attemptFor(5) === null);
  });

  it('a promotion pushed on /courses becomes a notice naming the course and the swapped one, once', async () => {
    const waitlist = useWaitlistStore();
    onList = [entry(5, 1, 9)];
    await waitlist.load();
    waitlist.start();
    await until(() => useLiveStore().state('/courses') === 'live');
    onList = [];
    const promoted = { ticket: 41, courseId: 5, action: 'join', status: 'promoted', swappedFrom: 9 };
    server.emit('/courses', 'selection:outcome', promoted);
    server.emit('/courses', 'selection:outcome', promoted); // the same ticket again is one notice
    await until(() => waitlist.promotions.length === 1 && waitlist.entries.length === 0);
    expect(waitlist.promotions[0]).toMatchObject({ courseId: 5, swappedFrom: 9 });
    expect([waitlist.codeOf(5), waitlist.codeOf(9)]).toEqual(['ALG', 'DB']);
    waitlist.dismissPromotion(41);
    expect(waitlist.promotions).toEqual([]);
  });

  it('a join still queued is settled by its promotion, and the promotion is announced', async () => {
    const selection = useSelectionStore();
    const waitlist = useWaitlistStore();
    joinAnswer = { status: 202, body: { status: 'queued', ticket: 44, position: 3, courseId: 6, action: 'join' } };
    waitlist.start();
    expect(await selection.submit(6, 'join')).toMatchObject({ phase: 'queued' });
    await until(() => useLiveStore().state('/courses') === 'live');
    server.emit('/courses', 'selection:outcome', { ticket: 44, courseId: 6, action: 'join', status: 'promoted' });
    await until(() => waitlist.promotions.length === 1);
    expect(selection.attemptFor(6)).toMatchObject({ phase: 'decided', status: 'promoted', swappedFrom: null });
    expect(waitlist.promotions[0]).toMatchObject({ courseId: 6, swappedFrom: null });
    await until(() => waitlist.codeOf(6) === 'NET'); // a course this page never loaded is looked up
  });
});
