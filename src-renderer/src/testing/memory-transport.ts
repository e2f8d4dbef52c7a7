import type { AppInfo, ConsoleRequest, ConsoleResponse } from '@contracts/console-api';
import type { Transport } from '../api/transport';

type Handler = (req: ConsoleRequest) => ConsoleResponse | Promise<ConsoleResponse>;

/**
 * The network boundary for store tests: answers ConsoleRequests from a table of routes and
 * records what was asked. Stores and the ApiClient above it are the real ones.
 */
export class MemoryTransport implements Transport {
  readonly kind = 'http' as const;
  readonly requests: ConsoleRequest[] = [];
  private readonly routes: { method: string; target: string; path: RegExp; handler: Handler }[] = [];

  on(method: ConsoleRequest['method'], target: ConsoleRequest['target'], path: RegExp, handler: Handler): this {
    this.routes.push({ method, target, path, handler });
    return this;
  }

  async send(req: ConsoleRequest): Promise<ConsoleResponse> {
    this.requests.push(req);
    const route = this.routes.find((r) => r.method === req.method && r.target === req.target && r.path.test(req.path));
    if (!route)
      return {
        status: 404,
        body: { error: { code: 'ROUTE_NOT_FOUND', message: `no route ${req.method} ${req.path}` } },
      };
    return route.handler(req);
  }

  async appInfo(): Promise<AppInfo> {
    return { mode: 'server', version: 'test', realtimeUrl: '' };
  }
}
