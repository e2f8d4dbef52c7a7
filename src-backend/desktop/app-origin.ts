/** The console's own scheme: the built renderer is served from app://console/ (see src-main). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Is this URL a page of our console? Parsed, not prefix-matched, so `app://console.evil/`,
 * `app://console@evil/` and `app://console:1/` are strangers.
 */
export function isConsoleUrl(raw: string | null | undefined): boolean {
  if (typeof raw !== 'string' || raw === '') return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** What Electron tells us about the frame that sent an IPC message. */
export interface SenderFrame {
  readonly url: string | null | undefined;
  /** false for an iframe: only the console's top frame may talk to the main process */
  readonly isMainFrame: boolean;
}

/** VS Code's rule: every IPC message is checked for the frame it came from. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return !!frame && frame.isMainFrame && isConsoleUrl(frame.url);
}
