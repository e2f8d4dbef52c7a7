import { describe, expect, it } from 'vitest';
import { h } from 'vue';
import { mount } from '@vue/test-utils';
import ListState from './ListState.vue';

type Props = { loading: boolean; error: string | null; empty: boolean; errorTitle?: string };

function render(props: Props) {
  return mount(ListState, {
    props: { emptyText: 'No rows yet.', ...props },
    slots: { default: () => h('table', { 'data-testid': 'rows' }, 'the rows') },
  });
}

const shown = (w: ReturnType<typeof render>) =>
  ['list-loading', 'list-error', 'list-empty', 'list-stale', 'rows'].filter((id) =>
    w.find(`[data-testid="${id}"]`).exists(),
  );

describe('ListState', () => {
  it('shows a spinner while the first load runs, and no rows', () => {
    const w = render({ loading: true, error: null, empty: true });
    expect(shown(w)).toEqual(['list-loading']);
    expect(w.get('[data-testid="list-loading"]').attributes('aria-busy')).toBe('true');
    expect(w.text()).toContain('Loading…');
  });

  it('shows the empty text when loading finished with nothing', () => {
    const w = render({ loading: false, error: null, empty: true });
    expect(shown(w)).toEqual(['list-empty']);
    expect(w.text()).toContain('No rows yet.');
  });

  it('shows the rows when there are some', () => {
    expect(shown(render({ loading: false, error: null, empty: false }))).toEqual(['rows']);
  });

  it('shows a full error state with the message when nothing ever loaded, and Try again asks to retry', async () => {
    const w = render({ loading: false, error: 'the server had a problem', empty: true });
    expect(shown(w)).toEqual(['list-error']);
    expect(w.get('[data-testid="list-error"]').attributes('role')).toBe('alert');
    expect(w.get('[data-testid="list-error-text"]').text()).toBe('the server had a problem');
    expect(w.text()).toContain('Could not load this list.');
    await w.get('button').trigger('click');
    await w.get('button').trigger('click');
    expect(w.emitted('retry')).toHaveLength(2);
  });

  it('keeps the last good rows under an inline banner when a refresh fails', async () => {
    const w = render({ loading: false, error: 'network down', empty: false });
    expect(shown(w)).toEqual(['list-stale', 'rows']);
    expect(w.get('[data-testid="list-stale"]').text()).toContain('network down');
    await w.get('[data-testid="list-stale"] button').trigger('click');
    expect(w.emitted('retry')).toHaveLength(1);
    // The refresh succeeds: the banner goes, the rows stay.
    await w.setProps({ error: null });
    expect(shown(w)).toEqual(['rows']);
  });

  it('disables Try again while the retry is running', async () => {
    const w = render({ loading: true, error: 'down', empty: true });
    const button = w.get('[data-testid="list-error"] button');
    expect(button.attributes('disabled')).toBeDefined();
    expect(button.text()).toBe('Trying…');
    await w.setProps({ loading: false });
    expect(w.get('[data-testid="list-error"] button').attributes('disabled')).toBeUndefined();
  });

  it('takes another headline for lists that are not loaded but sent', () => {
    const w = render({ loading: false, error: 'refused', empty: true, errorTitle: 'The last send failed.' });
    expect(w.text()).toContain('The last send failed.');
    expect(w.text()).not.toContain('Could not load');
  });
});
