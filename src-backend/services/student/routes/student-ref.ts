import type { FastifyRequest } from 'fastify';
import type { StudentRef } from '../../../contracts/courses.js';
import { unauthorized } from '../../../shared/app-error.js';

/** The signed-in student, as the data service's student views want it. */
export function studentOf(request: FastifyRequest): StudentRef {
  const user = request.user;
  if (!user || user.role !== 'student') throw unauthorized();
  return { studentId: user.id, group: user.group };
}
