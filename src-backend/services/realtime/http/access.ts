import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../../../shared/app-error.js';
import { isInternalCall } from '../../../shared/internal-auth.js';
import { bearerToken, type SessionResolver } from '../../../shared/session-auth.js';

/** onRequest hook for the realtime API: another service (internal token) or an admin session, nothing else. */
export function requireInternalOrAdmin(internalToken: string, resolver: SessionResolver) {
  return async (request: FastifyRequest): Promise<void> => {
    if (isInternalCall(request, internalToken)) return;
    const token = bearerToken(request);
    if (!token) throw unauthorized('internal token or admin session required');
    const user = await resolver.resolve(token);
    if (user.role !== 'admin') throw forbidden('this route is for admin accounts');
    request.user = user;
  };
}
