import { ref } from 'vue';
import { errorMessage } from '../api/api-error';
import { useLogsStore } from './logs';
import { useRealtimeStore } from './realtime';
import { useSessionStore } from './session';
import { useStatusStore } from './status';
import { useThrottlerStore } from './throttler';

/**
 * The one place that decides in which order stores load their data. App info first (it says
 * where realtime is), then the session (everything else needs the token), then the live
 * feeds that run for the whole signed-in session. View-specific lists load when their view
 * opens. Failures are kept and shown by the shell, never swallowed.
 */
export const bootFailures = ref<string[]>([]);

export async function bootConsole(): Promise<void> {
  const session = useSessionStore();
  try {
    await session.loadAppInfo();
  } catch (err) {
    bootFailures.value = [...bootFailures.value, `Could not read the app configuration: ${errorMessage(err)}`];
  }
  session.connectTabs();
  await session.restore();
  if (session.isSignedIn && !session.needsSetup) startLiveFeeds();
}

/** After sign-in: the feeds the shell shows everywhere (process health, log stream, pending events). */
export function startLiveFeeds(): void {
  for (const [name, start] of [
    ['status', () => useStatusStore().start()],
    ['logs', () => useLogsStore().start()],
    ['throttler', () => useThrottlerStore().start()],
  ] as const) {
    try {
      start();
    } catch (err) {
      bootFailures.value = [...bootFailures.value, `The ${name} feed did not start: ${errorMessage(err)}`];
    }
  }
}

/** On sign-out or an expired session: stop the feeds and close every socket. */
export function stopLiveFeeds(): void {
  useStatusStore().stop();
  useLogsStore().stop();
  useThrottlerStore().stop();
  useRealtimeStore().closeAll();
}
