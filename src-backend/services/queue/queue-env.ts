import { ConfigError } from '../../shared/config.js';
import type { RegistrationQueueOptions } from './registration-queue.js';

function positiveInt(env: NodeJS.ProcessEnv, name: string, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new ConfigError(`${name}=${raw} is not a whole number from 1 to ${max}`);
  return n;
}

/** Tuning knobs (the defaults suit a rush; tests shrink them to force a backlog). */
export function queueOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RegistrationQueueOptions {
  return {
    maxBatch: positiveInt(env, 'QUEUE_MAX_BATCH', 5000),
    maxDecide: positiveInt(env, 'QUEUE_MAX_DECIDE', 20_000),
    answerWithinMs: positiveInt(env, 'QUEUE_ANSWER_MS', 60_000),
    backlogPauseMs: positiveInt(env, 'QUEUE_BACKLOG_PAUSE_MS', 10_000),
  };
}
