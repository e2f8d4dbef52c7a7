import { describe, expect, it } from 'vitest';
import { ProcessState } from '../contracts/supervisor.js';
import type { ProcessState as State } from '../contracts/supervisor.js';
import { canTransition, IllegalTransitionError, PROCESS_TRANSITIONS, transition } from './process-states.js';

const STATES = ProcessState.anyOf.map((s) => s.const as State);
const PAIRS = STATES.flatMap((from) => STATES.map((to) => [from, to] as const));

/** States reachable from `from` by following the table. */
function reachable(from: State): Set<State> {
  const seen = new Set<State>([from]);
  const todo = [from];
  while (todo.length) {
    for (const next of PROCESS_TRANSITIONS[todo.pop()!]) {
      if (seen.has(next)) continue;
      seen.add(next);
      todo.push(next);
    }
  }
  return seen;
}

describe('the process state table', () => {
  it('covers every state of the contract, and names only states of the contract', () => {
    expect(Object.keys(PROCESS_TRANSITIONS).sort()).toEqual([...STATES].sort());
    for (const targets of Object.values(PROCESS_TRANSITIONS)) for (const t of targets) expect(STATES).toContain(t);
  });

  it.each(PAIRS)('%s → %s is allowed exactly when the table lists it (or nothing changes)', (from, to) => {
    const listed = (PROCESS_TRANSITIONS[from] as readonly State[]).includes(to);
    expect(canTransition(from, to)).toBe(listed || from === to);
    if (listed || from === to) expect(transition(from, to)).toBe(to);
    else expect(() => transition(from, to)).toThrow(new IllegalTransitionError(from, to));
  });

  it('a process being stopped can only end up stopped: never crashed, restarted or running again', () => {
    expect(PROCESS_TRANSITIONS.stopping).toEqual(['stopped']);
    for (const to of ['restarting', 'running', 'errored', 'starting'] as const)
      expect(canTransition('stopping', to)).toBe(false);
  });

  it('every state can be stopped, and every state is reachable from stopped', () => {
    for (const s of STATES) expect(reachable(s).has('stopped')).toBe(true);
    expect([...reachable('stopped')].sort()).toEqual([...STATES].sort());
  });

  it('a stopped process only ever starts; it never jumps to running or restarting', () => {
    expect(PROCESS_TRANSITIONS.stopped).toEqual(['starting']);
  });
});
