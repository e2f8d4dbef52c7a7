import { computed, type ComputedRef } from 'vue';
import { useLiveStore, type PortalNamespace } from '../stores/live';
import { useNow } from '../../src/lib/now';
import { formatDuration } from '../../src/lib/format';

/**
 * How old what a live link pushed may be: null while the link is live, else the time since it
 * last was ('' when it never was: the page's own load is then the newest data). Ticks each second.
 */
export function useLinkAge(ns: PortalNamespace): ComputedRef<string | null> {
  const live = useLiveStore();
  const now = useNow(1000);
  return computed(() => {
    if (!live.notLive(ns)) return null;
    const at = live.lastLiveAt[ns];
    return at === undefined ? '' : formatDuration(Math.max(1000, now.value - at));
  });
}
