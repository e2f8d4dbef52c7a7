import { describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import type { SupervisorStatus } from '@contracts/supervisor';
import { SERVICE_LABELS, SERVICE_NAMES } from '@contracts/services';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { runningProcess } from '../testing/process-status';
import { useStatusStore } from '../stores/status';
import StatusView from './StatusView.vue';

const REASON = 'storage not writable: the disk is full (SQLITE_FULL); reads still work, writes are refused';

const proc = runningProcess;

describe('StatusView: a process that runs but reports itself degraded', () => {
  it('shows it red, with its reason, in its row and in the overall summary', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const status: SupervisorStatus = {
      overall: 'degraded',
      processes: SERVICE_NAMES.map((n) => (n === 'data_node' ? proc(n, { degraded: REASON }) : proc(n))),
    };
    installApi(
      new ApiClient(new MemoryTransport().on('GET', 'supervisor', /^\/status$/, () => ({ status: 200, body: status }))),
    );
    await useStatusStore().refresh();
    const w = mount(StatusView, { global: { plugins: [pinia] } });
    await flushPromises();

    const row = w.get('tr[data-process="data_node"]');
    const badge = row.get('.badge[data-state]');
    expect([badge.text(), badge.classes()]).toEqual(['degraded', expect.arrayContaining(['badge', 'bad'])]);
    expect(row.get('[data-testid="degraded-reason"]').text()).toBe(REASON);
    expect(row.get('[data-testid="degraded-reason"]').classes()).toContain('err');
    // the others stay plainly running
    expect(w.get('tr[data-process="auth_node"] .badge').text()).toBe('running');
    expect(w.find('tr[data-process="auth_node"] [data-testid="degraded-reason"]').exists()).toBe(false);

    const overall = w.get('[data-testid="overall"]');
    expect(overall.classes()).toContain('bad');
    expect(overall.text()).toContain(`${SERVICE_LABELS.data_node}: ${REASON}`);
    w.unmount();
  });
});
