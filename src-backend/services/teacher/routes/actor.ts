import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../../contracts/courses.js';
import { unauthorized } from '../../../shared/app-error.js';

/** The signed-in teacher or admin, as the data service's ownership checks want it. */
export function actorOf(request: FastifyRequest): Actor {
  const user = request.user;
  if (!user || user.role === 'student') throw unauthorized();
  return { userId: user.id, role: user.role };
}
