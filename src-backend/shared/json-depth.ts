import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '../contracts/errors.js';
import { AppError } from './app-error.js';

/** Deeper than any body of ours; deep enough that nothing recursive we run on it overflows. */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests arrays and objects deeper than `max`. Walks without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export const jsonTooDeep = () =>
  new AppError(400, ErrorCode.INVALID_JSON, `body is nested deeper than ${MAX_JSON_DEPTH} levels`);

/**
 * Fastify's own JSON parser (prototype-poisoning checks included), then a depth check: V8 parses
 * any depth, but serialising, validating or emitting what came out recurses, and a body nested
 * 100,000 deep ended in a stack overflow (500) instead of a 400.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      if (nestedDeeperThan(value, MAX_JSON_DEPTH)) return done(jsonTooDeep(), undefined);
      done(null, value);
    });
  });
}
