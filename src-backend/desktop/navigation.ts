import { isConsoleUrl } from './app-origin.js';
import { externalLinkDecision, type LinkPolicy } from './external-links.js';

export interface LeaveDecision {
  /** let the window go there (only pages of our own console) */
  readonly allow: boolean;
  /** hand this to the system browser / mail client instead; null: drop it */
  readonly openExternally: string | null;
}

/** `will-navigate` / `will-redirect`: stay inside app://console, or leave through the link policy. */
export function navigationDecision(url: string, policy: LinkPolicy): LeaveDecision {
  if (isConsoleUrl(url)) return { allow: true, openExternally: null };
  const link = externalLinkDecision(url, policy);
  return { allow: false, openExternally: link.open ? link.url : null };
}

/** `setWindowOpenHandler`: the app never opens a second window, whatever the URL. */
export function windowOpenDecision(url: string, policy: LinkPolicy): LeaveDecision {
  const link = isConsoleUrl(url) ? null : externalLinkDecision(url, policy);
  return { allow: false, openExternally: link?.open ? link.url : null };
}
