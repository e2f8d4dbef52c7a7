import { describe, expect, it, vi } from 'vitest';
import type { ConsoleRequest } from '@contracts/console-api';
import { ApiClient, withQuery } from './client';
import { ApiError } from './api-error';
import { httpTransport } from './transport';

/** A fetch that records what the HTTP transport sent and answers like the gateway would. */
function gateway(status: number, body: unknown, contentType = 'application/json') {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': contentType },
    });
  });
  return {
    calls,
    transport: httpTransport({ baseUrl: 'http://gw.test', fetch: fetch as unknown as typeof globalThis.fetch }),
  };
}

describe('ApiClient over the HTTP transport', () => {
  it('maps a ConsoleRequest onto /api/<target><path> with the bearer token and JSON body', async () => {
    const gw = gateway(200, { ok: true });
    const client = new ApiClient(gw.transport);
    client.setToken('tok123');
    await expect(client.post('auth_node', '/admin/users', { a: 1 })).resolves.toEqual({ ok: true });
    expect(gw.calls[0]!.url).toBe('http://gw.test/api/auth_node/admin/users');
    const headers = gw.calls[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer tok123');
    expect(headers['content-type']).toBe('application/json');
    expect(gw.calls[0]!.init.body).toBe('{"a":1}');
  });

  it('sends an idempotency key as the Idempotency-Key header, and only when given', async () => {
    const gw = gateway(200, { status: 'selected' });
    const client = new ApiClient(gw.transport);
    await client.post('student_node', '/student/course/select', { courseId: 1 }, { idempotencyKey: 'k-1' });
    await client.post('student_node', '/student/course/select', { courseId: 1 });
    expect((gw.calls[0]!.init.headers as Record<string, string>)['idempotency-key']).toBe('k-1');
    expect((gw.calls[1]!.init.headers as Record<string, string>)['idempotency-key']).toBeUndefined();
  });

  it('turns {error:{code,message}} into an ApiError with the server message', async () => {
    const gw = gateway(409, { error: { code: 'USERNAME_TAKEN', message: 'username alice is taken' } });
    const err = await new ApiClient(gw.transport).post('auth_node', '/admin/users', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'USERNAME_TAKEN', message: 'username alice is taken' });
  });

  it('gives a readable error for a body that is not ours', async () => {
    const gw = gateway(502, '<html>bad gateway</html>', 'text/html');
    await expect(new ApiClient(gw.transport).get('data_node', '/courses')).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
    });
  });

  it('ends the session on a 401 for a call that carried a token, not for a failed sign-in', async () => {
    const gw = gateway(401, { error: { code: 'INVALID_CREDENTIALS', message: 'wrong' } });
    const onUnauthorized = vi.fn();
    const client = new ApiClient(gw.transport, { onUnauthorized });
    await client.post('auth_node', '/login/admin', {}).catch(() => undefined);
    expect(onUnauthorized).not.toHaveBeenCalled();
    const expired = new ApiClient(gateway(401, { error: { code: 'INVALID_SESSION', message: 'expired' } }).transport, {
      onUnauthorized,
    });
    expired.setToken('expired');
    await expired.get('auth_node', '/me').catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('keeps the session on a 401 that judges a password or code sent in a signed-in call', async () => {
    const onUnauthorized = vi.fn();
    for (const code of ['INVALID_CREDENTIALS', 'INVALID_TOTP', 'TOTP_REPLAYED']) {
      const client = new ApiClient(gateway(401, { error: { code, message: 'wrong' } }).transport, { onUnauthorized });
      client.setToken('good');
      await expect(client.post('auth_node', '/me/password', {})).rejects.toMatchObject({ status: 401, code });
    }
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('reports a transport failure as a network ApiError', async () => {
    const client = new ApiClient({
      kind: 'ipc',
      send: async (_req: ConsoleRequest) => {
        throw new Error('ipc down');
      },
      appInfo: async () => ({ mode: 'electron', version: '0', realtimeUrl: '' }),
    });
    const err = (await client.get('supervisor', '/status').catch((e: unknown) => e)) as ApiError;
    expect(err.isNetwork).toBe(true);
    expect(err.message).toMatch(/cannot reach/);
  });

  it('builds query strings leaving out empty values', () => {
    expect(withQuery('/admin/users', { role: 'student', search: '', page: 2, x: undefined })).toBe(
      '/admin/users?role=student&page=2',
    );
    expect(withQuery('/a', {})).toBe('/a');
  });
});
