import { HealthBody } from '../health.js';
import { SessionForgetRequest, SessionForgetResponse } from '../session.js';
import { errorResponses, ok } from '../common.js';
import { SelectionDecided, SelectionQueued } from '../courses.js';
import type { RouteSpec } from '../route.js';
import type { ServiceName } from '../services.js';

/** GET /health on each of the five course services (realtime answers its own shape: routes/realtime.ts). */
export const HEALTH = {
  method: 'GET',
  url: '/health',
  summary: 'Liveness: the process, its pid and uptime, and the transport this call came over',
  access: 'public',
  schema: { response: ok(HealthBody) },
} as const satisfies RouteSpec;

export const healthRoute = <S extends ServiceName>(service: S) => ({ ...HEALTH, service }) as const;

/**
 * student_node and teacher_node cache resolved sessions; auth_node calls this on each of them
 * when a session ends (logout, disable, delete, password change, 2FA reset), so a dead token
 * is refused at once, not when the cache lets it go.
 */
export const FORGET_SESSIONS = {
  method: 'POST',
  url: '/internal/sessions/forget',
  summary: 'Drop cached sessions: one token, or every session of a user',
  access: 'internal',
  schema: { body: SessionForgetRequest, response: ok(SessionForgetResponse) },
} as const satisfies RouteSpec;

/** A request that goes through the queue: 200 decided, or 202 accepted but not decided within ~2 s (poll the queue status). */
export const SELECTION_RESPONSES = { 200: SelectionDecided, 202: SelectionQueued, ...errorResponses } as const;
