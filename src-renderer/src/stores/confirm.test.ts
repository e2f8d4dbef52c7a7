import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useConfirmStore } from './confirm';

describe('useConfirmStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('resolves true only on an explicit confirm', async () => {
    const c = useConfirmStore();
    const yes = c.ask({ title: 'Delete?', message: 'gone', danger: true });
    expect(c.pending?.title).toBe('Delete?');
    c.answer(true);
    await expect(yes).resolves.toBe(true);
    expect(c.pending).toBeNull();
  });

  it('treats a second question as cancelling the first', async () => {
    const c = useConfirmStore();
    const first = c.ask({ title: 'A', message: '' });
    const second = c.ask({ title: 'B', message: '' });
    await expect(first).resolves.toBe(false);
    c.answer(false);
    await expect(second).resolves.toBe(false);
  });
});
