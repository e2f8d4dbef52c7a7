/** A CSP as directive → sources, in the order written. */
export type Csp = Map<string, string[]>;

export function parseCsp(text: string): Csp {
  const csp: Csp = new Map();
  for (const part of text.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) csp.set(name.toLowerCase(), sources);
  }
  return csp;
}

export function formatCsp(csp: Csp): string {
  return [...csp].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

export class CspError extends Error {
  override name = 'CspError';
}

/**
 * The desktop window's CSP: the console's own (server mode's), plus the realtime server's
 * origin in connect-src, since the renderer on app://console talks to Socket.IO directly.
 * Only a loopback http origin is accepted: the window must not connect anywhere else.
 */
export function desktopCsp(consoleCsp: string, realtimeUrl: string): string {
  let url: URL;
  try {
    url = new URL(realtimeUrl);
  } catch {
    throw new CspError(`realtime URL ${JSON.stringify(realtimeUrl)} is not a URL`);
  }
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new CspError(`realtime URL ${url.origin} is not a loopback http origin`);
  }
  const csp = parseCsp(consoleCsp);
  const connect = csp.get('connect-src') ?? ["'self'"];
  const ws = `ws://${url.host}`;
  csp.set('connect-src', [...connect, ...[url.origin, ws].filter((s) => !connect.includes(s))]);
  return formatCsp(csp);
}
