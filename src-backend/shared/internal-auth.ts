import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { INTERNAL_TOKEN_HEADER } from '../contracts/services.js';

export function isInternalCall(request: FastifyRequest, token: string): boolean {
  const given = request.headers[INTERNAL_TOKEN_HEADER];
  if (!token || typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}
