import { ok } from '../common.js';
import { QueueStats, QueueSubmitRequest, QueueSubmitResponse } from '../courses.js';
import { QueueBoard } from '../registrar.js';
import { routeTable } from '../route.js';
import { HEALTH } from './shared.js';

/** queue_node: internal only; student_node (and teacher_node's staff enrolments) hand it every request in batches. */
export const QueueRoutes = routeTable('queue_node', {
  health: HEALTH,
  submit: {
    method: 'POST',
    url: '/internal/queue/submit',
    summary: 'Queue a batch of selection requests; one answer per request, in order',
    access: 'internal',
    schema: { body: QueueSubmitRequest, response: ok(QueueSubmitResponse) },
  },
  stats: {
    method: 'GET',
    url: '/internal/queue/stats',
    summary: "The queue's counters",
    access: 'internal',
    schema: { response: ok(QueueStats) },
  },
  board: {
    method: 'GET',
    url: '/internal/queue/board',
    summary: 'decided/s, decide latency p50/p99, backlog, and 15 minutes of 5 s samples',
    access: 'internal',
    schema: { response: ok(QueueBoard) },
  },
});
