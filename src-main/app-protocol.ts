import fs from 'node:fs';
import { protocol } from 'electron';
import { APP_SCHEME } from '../src-backend/desktop/app-origin.js';
import { resolveConsoleRequest } from '../src-backend/desktop/console-protocol.js';

/** Must run before `app.ready`: our scheme behaves like https (secure context, fetch, CSP). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serve the built console from app://console/ (what is served is decided in src-backend/desktop). */
export function serveConsole(rendererDir: string, csp: string): void {
  const rootReal = fs.realpathSync(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = resolveConsoleRequest(rootReal, request.url);
    if (answer.status !== 200) return new Response('not found', { status: answer.status });
    const body = await fs.promises.readFile(answer.file);
    return new Response(body, { headers: { 'content-type': answer.type, 'content-security-policy': csp } });
  });
}
