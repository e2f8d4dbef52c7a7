import { Type } from 'typebox';
import { ok } from '../common.js';
import { LogLevel, LogRecord, ProcessOp, ProcessStatus, ServiceNameSchema, SupervisorStatus } from '../supervisor.js';
import { routeTable } from '../route.js';

/**
 * The supervisor behind the gateway (`/api/supervisor/…`, or IPC in the desktop app): process
 * status, recent logs and start/stop/restart. Admins only; an admin confirmed in the last
 * 10 minutes keeps access while auth_node cannot be reached (gateway/admin-guard.ts).
 */
export const SupervisorRoutes = routeTable('supervisor', {
  status: {
    method: 'GET',
    url: '/status',
    summary: 'Admin: every process, its state, pid, memory and health latency',
    access: 'public',
    schema: { response: ok(SupervisorStatus) },
  },
  logs: {
    method: 'GET',
    url: '/logs',
    summary: 'Admin: the most recent log lines, optionally of one service or level',
    access: 'public',
    schema: {
      querystring: Type.Object(
        {
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
          service: Type.Optional(ServiceNameSchema),
          level: Type.Optional(LogLevel),
        },
        { additionalProperties: false },
      ),
      response: ok(Type.Object({ lines: Type.Array(LogRecord) })),
    },
  },
  processOp: {
    method: 'POST',
    url: '/:service/:op',
    summary: 'Admin: start, stop or restart one process (409 PROCESS_FAILED)',
    access: 'public',
    schema: {
      params: Type.Object({ service: ServiceNameSchema, op: ProcessOp }, { additionalProperties: false }),
      response: ok(ProcessStatus),
    },
  },
});
