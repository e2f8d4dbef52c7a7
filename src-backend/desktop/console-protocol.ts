import { resolveStatic } from '../gateway/static-files.js';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

export type ConsoleAnswer =
  { readonly status: 200; readonly file: string; readonly type: string } | { readonly status: 400 | 404 };

/**
 * What app://console/<path> serves: a file of the built console, or index.html for the
 * console's own routes; with the gateway's traversal-safe resolver, so nothing outside.
 */
export function resolveConsoleRequest(rootReal: string, requestUrl: string): ConsoleAnswer {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 404 };
  const pathname = url.pathname || '/';
  let found = resolveStatic(rootReal, pathname);
  // an app route (/users), not a missing asset (/assets/x.js): the single-page app handles it
  if (found.kind === 'not-found' && !/\.[a-z0-9]+$/i.test(pathname)) found = resolveStatic(rootReal, '/index.html');
  if (found.kind === 'file') return { status: 200, file: found.file, type: found.type };
  return { status: found.kind === 'bad-request' ? 400 : 404 };
}
