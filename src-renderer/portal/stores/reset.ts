import { useCatalogueStore } from './catalogue';
import { useInboxStore } from './inbox';
import { useLiveStore } from './live';
import { useSelectionStore } from './selection';

/** On sign-out or an expired session: close the sockets and forget what the last user saw. */
export function resetPortalStores(): void {
  useSelectionStore().reset();
  useCatalogueStore().reset();
  useInboxStore().reset();
  useLiveStore().closeAll();
}
