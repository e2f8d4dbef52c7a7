import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { mount } from '@vue/test-utils';
import { useIdleTimeout } from './idle';

describe('useIdleTimeout', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function host(onIdle: () => void) {
    return mount(
      defineComponent({
        setup() {
          useIdleTimeout(60_000, onIdle, 1000);
          return () => h('div');
        },
      }),
    );
  }

  it('fires after the idle period and not while someone is typing', () => {
    const onIdle = vi.fn();
    const w = host(onIdle);
    vi.advanceTimersByTime(50_000);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(11_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    w.unmount();
    vi.advanceTimersByTime(200_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});
