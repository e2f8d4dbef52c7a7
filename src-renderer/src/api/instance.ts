import { ApiClient } from './client';
import { pickTransport } from './transport';

/**
 * The one ApiClient of this window. main.ts installs it with the real transport; store tests
 * install one over an in-memory transport.
 */
let current: ApiClient | null = null;

export function installApi(client: ApiClient): ApiClient {
  current = client;
  return client;
}

export function api(): ApiClient {
  current ??= new ApiClient(pickTransport());
  return current;
}
