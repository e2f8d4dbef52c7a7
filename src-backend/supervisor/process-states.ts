import type { ProcessState } from '../contracts/supervisor.js';

/**
 * Every state change a supervised process may make, and nothing else. Staying in the same state
 * is not a change. `stopping` leads only to `stopped`: a process we are stopping is never
 * reported as crashed or restarted.
 */
export const PROCESS_TRANSITIONS = {
  stopped: ['starting'],
  // a restart keeps saying `restarting` until the new child is running
  starting: ['running', 'restarting', 'errored', 'stopping', 'stopped'],
  running: ['restarting', 'errored', 'stopping', 'stopped'],
  restarting: ['running', 'errored', 'stopping', 'stopped'],
  errored: ['starting', 'stopped'],
  stopping: ['stopped'],
} as const satisfies Record<ProcessState, readonly ProcessState[]>;

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: ProcessState,
    readonly to: ProcessState,
  ) {
    super(`illegal process state change ${from} → ${to}`);
  }
}

export function canTransition(from: ProcessState, to: ProcessState): boolean {
  return from === to || (PROCESS_TRANSITIONS[from] as readonly ProcessState[]).includes(to);
}

/** The state after `from → to`, or an IllegalTransitionError when the table does not allow it. */
export function transition(from: ProcessState, to: ProcessState): ProcessState {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
  return to;
}
