import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { INTERNAL_TOKEN_HEADER } from '../contracts/services.js';
import { unauthorized } from './app-error.js';

export function isInternalCall(request: FastifyRequest, token: string): boolean {
  const given = request.headers[INTERNAL_TOKEN_HEADER];
  if (!token || typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/** preHandler for routes only other services may call. */
export function requireInternal(token: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!isInternalCall(request, token)) throw unauthorized('internal route', 'INTERNAL_ONLY');
  };
}
