import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../contracts/services.js';
import type { ProcessState, ProcessStatus } from '../contracts/supervisor.js';
import { trayHealth } from './tray-health.js';

function processes(states: Partial<Record<(typeof SERVICE_NAMES)[number], ProcessState>>): ProcessStatus[] {
  return SERVICE_NAMES.map((name, i) => {
    const state = states[name] ?? 'running';
    return {
      name,
      state,
      pid: state === 'running' ? 1000 + i : null,
      uptimeMs: 0,
      restarts: 0,
      rssBytes: null,
      healthLatencyMs: null,
      transport: state === 'running' ? 'unix' : null,
      port: 8001 + i,
      lastError: null,
    };
  });
}

describe('trayHealth', () => {
  it('is healthy when all six run', () => {
    expect(trayHealth(processes({}))).toEqual({
      icon: 'healthy',
      tooltip: 'Course Selection Console: healthy (6/6 running)',
    });
  });

  it('is degraded when some do not, and names them', () => {
    expect(trayHealth(processes({ queue_node: 'restarting', realtime: 'errored' }))).toEqual({
      icon: 'degraded',
      tooltip: 'Course Selection Console: degraded (4/6 running; queue_node restarting, realtime errored)',
    });
  });

  it('names at most three, then counts the rest', () => {
    const { icon, tooltip } = trayHealth(
      processes({ auth_node: 'stopped', teacher_node: 'stopped', student_node: 'starting', queue_node: 'starting' }),
    );
    expect(icon).toBe('degraded');
    expect(tooltip).toBe(
      'Course Selection Console: degraded (2/6 running; auth_node stopped, teacher_node stopped, student_node starting, 1 more)',
    );
  });

  it('is down when none run, and when there is nothing to run yet', () => {
    const allStarting = Object.fromEntries(SERVICE_NAMES.map((n) => [n, 'starting' as const]));
    expect(trayHealth(processes(allStarting)).icon).toBe('down');
    expect(trayHealth([])).toEqual({ icon: 'down', tooltip: 'Course Selection Console: down (0/0 running)' });
  });
});
