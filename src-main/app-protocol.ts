import fs from 'node:fs';
import { protocol } from 'electron';
import { resolveStatic } from '../src-backend/gateway/static-files.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://console';

/** Must run before `app.ready`: our scheme behaves like https (secure context, fetch, CSP). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serve the built console from app://console/, with the same traversal-safe resolver as the gateway. */
export function serveConsole(rendererDir: string, csp: string): void {
  const rootReal = fs.realpathSync(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'console') return new Response('not found', { status: 404 });
    let found = resolveStatic(rootReal, url.pathname);
    if (found.kind === 'not-found' && !/\.[a-z0-9]+$/i.test(url.pathname)) found = resolveStatic(rootReal, '/index.html');
    if (found.kind !== 'file') return new Response('not found', { status: found.kind === 'bad-request' ? 400 : 404 });
    const body = await fs.promises.readFile(found.file);
    return new Response(body, { headers: { 'content-type': found.type, 'content-security-policy': csp } });
  });
}
