import type { AppInfo, ConsoleRequest, ConsoleResponse } from '@contracts/console-api';
import type { PreloadApi } from '../env';

/**
 * How a ConsoleRequest reaches the backend: preload IPC inside Electron, HTTP to the gateway in
 * a browser. Both speak the same request shape, so nothing above this file knows which it is.
 */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  send(req: ConsoleRequest): Promise<ConsoleResponse>;
  appInfo(): Promise<AppInfo>;
}

export function ipcTransport(api: PreloadApi): Transport {
  return {
    kind: 'ipc',
    send: (req) => api.request(req),
    appInfo: () => api.appInfo(),
  };
}

export interface HttpTransportOptions {
  /** origin of the gateway; '' means the page's own origin */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export function httpTransport(opts: HttpTransportOptions = {}): Transport {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? 35_000;

  return {
    kind: 'http',
    async send(req) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (req.token) headers.authorization = `Bearer ${req.token}`;
      if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
      const init: RequestInit = { method: req.method, headers, signal: AbortSignal.timeout(timeoutMs) };
      if (req.body !== undefined) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(req.body);
      }
      const res = await doFetch(`${base}/api/${req.target}${req.path}`, init);
      return { status: res.status, body: await readBody(res) };
    },
    async appInfo() {
      const res = await doFetch(`${base}/api/config`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`the gateway answered ${res.status} for /api/config`);
      return (await res.json()) as AppInfo;
    },
  };
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return { error: { code: 'BAD_RESPONSE', message: 'the server sent malformed JSON' } };
    }
  }
  return text;
}

/** Electron's preload if present, the gateway otherwise. */
export function pickTransport(): Transport {
  return typeof window !== 'undefined' && window.api ? ipcTransport(window.api) : httpTransport();
}
