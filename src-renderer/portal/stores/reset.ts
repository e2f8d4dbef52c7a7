import { useCatalogueStore } from './catalogue';
import { useChatStore } from './chat';
import { useInboxStore } from './inbox';
import { useLiveStore } from './live';
import { useSelectionStore } from './selection';
import { useTeachingStore } from './teaching';
import { useTimetableStore } from './timetable';
import { useWaitlistStore } from './waitlist';

/** On sign-out or an expired session: close the sockets and forget what the last user saw. */
export function resetPortalStores(): void {
  useSelectionStore().reset();
  useCatalogueStore().reset();
  useInboxStore().reset();
  useChatStore().reset();
  useTeachingStore().reset();
  useTimetableStore().reset();
  useWaitlistStore().reset();
  useLiveStore().closeAll();
}
