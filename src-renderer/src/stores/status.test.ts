import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { SupervisorStatus } from '@contracts/supervisor';
import { SERVICE_NAMES } from '@contracts/services';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { runningProcess } from '../testing/process-status';
import { STALE_AFTER_MS, useStatusStore } from './status';

const proc = runningProcess;

describe('useStatusStore', () => {
  let transport: MemoryTransport;
  let current: SupervisorStatus;
  let supervisorDown: boolean;

  beforeEach(() => {
    setActivePinia(createPinia());
    current = { overall: 'healthy', processes: SERVICE_NAMES.map((n) => proc(n)) };
    supervisorDown = false;
    transport = new MemoryTransport()
      .on('GET', 'supervisor', /^\/status$/, () =>
        supervisorDown
          ? { status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'down' } } }
          : { status: 200, body: current },
      )
      .on('POST', 'supervisor', /^\/queue_node\/stop$/, () => {
        current = {
          overall: 'degraded',
          processes: current.processes.map((p) =>
            p.name === 'queue_node' ? proc('queue_node', { state: 'stopped', pid: null }) : p,
          ),
        };
        return { status: 200, body: current.processes.find((p) => p.name === 'queue_node') };
      })
      .on('POST', 'supervisor', /^\/auth_node\/restart$/, () => ({
        status: 409,
        body: { error: { code: 'PROCESS_FAILED', message: 'auth_node did not come back' } },
      }));
    const client = installApi(new ApiClient(transport));
    client.setToken('admin-token');
  });

  it('loads the six processes and summarises them', async () => {
    const s = useStatusStore();
    await s.refresh();
    expect(s.processes).toHaveLength(6);
    expect(s.runningCount).toBe(6);
    expect(s.overall).toBe('healthy');
    expect(transport.requests[0]).toMatchObject({
      method: 'GET',
      target: 'supervisor',
      path: '/status',
      token: 'admin-token',
    });
  });

  it('shows a process_state admin event at once, before the next poll', async () => {
    const s = useStatusStore();
    await s.refresh();
    s.onAdminEvent({ type: 'process_state', data: proc('teacher_node', { state: 'restarting', pid: null }) });
    expect(s.processes.find((p) => p.name === 'teacher_node')?.state).toBe('restarting');
    expect(s.runningCount).toBe(5);
    // Unrelated admin events change nothing.
    s.onAdminEvent({ type: 'user_created', data: { id: 1 } });
    expect(s.runningCount).toBe(5);
  });

  it('runs an operation, marks the process busy meanwhile and refreshes after', async () => {
    const s = useStatusStore();
    await s.refresh();
    const op = s.operate('queue_node', 'stop');
    expect(s.busy.queue_node).toBe('stop');
    await op;
    expect(s.busy.queue_node).toBeUndefined();
    expect(s.processes.find((p) => p.name === 'queue_node')?.state).toBe('stopped');
    expect(s.overall).toBe('degraded');
  });

  it('passes a failed operation on with the server message and clears busy', async () => {
    const s = useStatusStore();
    await s.refresh();
    await expect(s.operate('auth_node', 'restart')).rejects.toMatchObject({
      code: 'PROCESS_FAILED',
      message: 'auth_node did not come back',
    });
    expect(s.busy.auth_node).toBeUndefined();
  });

  it('keeps the last good status and shows the error when a refresh fails', async () => {
    const s = useStatusStore();
    await s.refresh();
    supervisorDown = true;
    await s.refresh();
    expect(s.error).toBe('down');
    expect(s.processes).toHaveLength(6);
  });

  it('never shows a failed or old answer as healthy: overall unknown, count unknown, attempts counted', async () => {
    const s = useStatusStore();
    await s.refresh();
    expect(s.overall).toBe('healthy');
    expect(s.stale).toBe(false);
    supervisorDown = true;
    await s.refresh();
    await s.refresh();
    expect(s.overall).toBe('unknown');
    expect(s.runningCount).toBeNull();
    expect(s.failures).toBe(2);
    // The last good table is still there, for "last known".
    expect(s.status?.overall).toBe('healthy');
    supervisorDown = false;
    await s.refresh();
    expect(s.overall).toBe('healthy');
    expect(s.failures).toBe(0);
  });

  it('an answer older than two polls counts as unknown even without an error (a hung request)', async () => {
    const s = useStatusStore();
    await s.refresh();
    s.now = s.updatedAt! + STALE_AFTER_MS - 1;
    expect(s.overall).toBe('healthy');
    s.now = s.updatedAt! + STALE_AFTER_MS + 1;
    expect(s.overall).toBe('unknown');
    expect(s.runningCount).toBeNull();
  });
});
