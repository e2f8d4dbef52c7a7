import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AuthUser } from '@contracts/auth';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { IDLE_SIGN_OUT_MS, IDLE_WARNING_MS, KEEP_ALIVE_EVERY_MS, useIdleStore } from './idle';
import { useSessionStore } from './session';

const admin: AuthUser = {
  id: 1,
  username: 'admin',
  name: 'Admin',
  email: null,
  role: 'admin',
  group: null,
  disabled: false,
  mustChangePassword: false,
  totpEnabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('useIdleStore', () => {
  let transport: MemoryTransport;
  let visibility: DocumentVisibilityState;

  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
    visibility = 'visible';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    setActivePinia(createPinia());
    transport = new MemoryTransport().on('GET', 'auth_node', /^\/me$/, () => ({
      status: 200,
      body: { user: admin, expiresAt: '2026-12-03T20:00:00.000Z', mfaSetupRequired: false },
    }));
    installApi(new ApiClient(transport)).setToken('t');
    const session = useSessionStore();
    session.token = 't';
    session.user = admin;
  });
  afterEach(() => {
    useIdleStore().stop();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('warns 60 s ahead, "stay signed in" starts over, and the time up signs out once', () => {
    const idle = useIdleStore();
    const timeout = vi.fn();
    idle.start(timeout);
    vi.advanceTimersByTime(IDLE_SIGN_OUT_MS - IDLE_WARNING_MS - 1000);
    expect(idle.warning).toBe(false);
    vi.advanceTimersByTime(2000);
    expect(idle.warning).toBe(true);
    expect(idle.secondsLeft).toBe(59);
    // A click while it shows does not dismiss it by itself (it would swallow "Sign out now").
    window.dispatchEvent(new PointerEvent('pointerdown'));
    expect(idle.warning).toBe(true);
    idle.stay();
    expect(idle.warning).toBe(false);
    vi.advanceTimersByTime(IDLE_SIGN_OUT_MS - 1000);
    expect(timeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2000);
    expect(timeout).toHaveBeenCalledTimes(1);
  });

  it('counts a key press here and use of another tab as activity', () => {
    const idle = useIdleStore();
    const timeout = vi.fn();
    idle.start(timeout);
    vi.advanceTimersByTime(IDLE_SIGN_OUT_MS - IDLE_WARNING_MS - 10_000);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    vi.advanceTimersByTime(IDLE_SIGN_OUT_MS - 10_000);
    // Used in another tab while this one shows the warning: the warning goes.
    expect(idle.warning).toBe(true);
    useSessionStore().otherTabActiveAt = Date.now();
    expect(idle.warning).toBe(false);
    vi.advanceTimersByTime(IDLE_SIGN_OUT_MS - 10_000);
    expect(timeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20_000);
    expect(timeout).toHaveBeenCalledTimes(1);
  });

  it('"keep signed in while visible" never signs out a visible page and refreshes its session', () => {
    const idle = useIdleStore();
    const timeout = vi.fn();
    idle.keepWhileVisible = true;
    idle.start(timeout);
    vi.advanceTimersByTime(3 * IDLE_SIGN_OUT_MS);
    expect(timeout).not.toHaveBeenCalled();
    expect(idle.warning).toBe(false);
    const refreshes = transport.requests.filter((r) => r.path === '/me').length;
    expect(refreshes).toBeGreaterThanOrEqual((3 * IDLE_SIGN_OUT_MS) / KEEP_ALIVE_EVERY_MS);
    // Hidden (another window in front, a locked screen), it times out as usual.
    visibility = 'hidden';
    vi.advanceTimersByTime(IDLE_SIGN_OUT_MS + 1000);
    expect(timeout).toHaveBeenCalledTimes(1);
  });

  it('remembers the option in this browser', async () => {
    useIdleStore().keepWhileVisible = true;
    await vi.runOnlyPendingTimersAsync();
    expect(localStorage.getItem('csc.keepSignedInWhileVisible')).toBe('true');
    setActivePinia(createPinia());
    expect(useIdleStore().keepWhileVisible).toBe(true);
  });
});
