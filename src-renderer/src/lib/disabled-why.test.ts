import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref, withDirectives } from 'vue';
import { mount } from '@vue/test-utils';
import { vWhy } from './disabled-why';

/** every renderer component's source, read by the bundler */
const VIEWS = import.meta.glob<string>(['../**/*.vue'], { query: '?raw', import: 'default', eager: true });

describe('v-why', () => {
  it('disables with the reason as tooltip and description, and clears both when enabled', async () => {
    const reason = ref<string | null>('Nothing to export');
    const w = mount(
      defineComponent({
        setup: () => () => withDirectives(h('button', { type: 'button' }, 'Export'), [[vWhy, reason.value]]),
      }),
    );
    const b = w.get('button').element as HTMLButtonElement;
    expect([b.disabled, b.title, b.getAttribute('aria-description')]).toEqual([
      true,
      'Nothing to export',
      'Nothing to export',
    ]);
    reason.value = null;
    await nextTick();
    expect([b.disabled, b.hasAttribute('title'), b.hasAttribute('aria-description')]).toEqual([false, false, false]);
  });

  it('is how every button in the console is disabled: no bare :disabled on a button', () => {
    expect(Object.keys(VIEWS).length).toBeGreaterThan(20);
    const bare = Object.entries(VIEWS).flatMap(([file, text]) =>
      [...text.matchAll(/<button\b[^>]*?\s:?disabled\b[^>]*>/g)].map((m) => `${file}: ${m[0].replace(/\s+/g, ' ')}`),
    );
    expect(bare).toEqual([]);
  });
});
