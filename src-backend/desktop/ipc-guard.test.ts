import { describe, expect, it } from 'vitest';
import { IpcChannel } from '../contracts/ipc.js';
import { checkIpcCall, refusalResponse } from './ipc-guard.js';

const ours = { url: 'app://console/', isMainFrame: true };
const request = { method: 'GET', target: 'supervisor', path: '/status', token: 't'.repeat(64) };

describe('checkIpcCall', () => {
  it('lets well-formed calls from our frame through', () => {
    expect(checkIpcCall(IpcChannel.apiRequest, ours, [request])).toBeNull();
    expect(
      checkIpcCall(IpcChannel.apiRequest, ours, [{ method: 'POST', target: 'auth_node', path: '/x', body: { a: 1 } }]),
    ).toBeNull();
    expect(checkIpcCall(IpcChannel.appInfo, ours, [])).toBeNull();
    expect(checkIpcCall(IpcChannel.openExternal, ours, ['https://docs.example.edu/'])).toBeNull();
  });

  it('refuses another frame before looking at the arguments', () => {
    for (const sender of [
      { url: 'https://evil.example/', isMainFrame: true },
      { url: 'app://console/', isMainFrame: false },
      null,
    ]) {
      expect(checkIpcCall(IpcChannel.apiRequest, sender, [request])).toEqual({
        status: 403,
        code: 'FORBIDDEN',
        message: 'unknown sender',
      });
    }
  });

  it('refuses channels that are not invoke channels of the contracts', () => {
    expect(checkIpcCall(IpcChannel.statusChanged, ours, [])?.message).toBe('unknown channel csc:status-changed');
    expect(checkIpcCall('csc:shell-exec', ours, ['rm -rf /'])?.status).toBe(403);
  });

  it.each([
    ['no request', IpcChannel.apiRequest, []],
    ['two requests', IpcChannel.apiRequest, [request, request]],
    ['a target that is not a service', IpcChannel.apiRequest, [{ ...request, target: 'gateway' }]],
    ['a method outside the contract', IpcChannel.apiRequest, [{ ...request, method: 'TRACE' }]],
    ['a relative path', IpcChannel.apiRequest, [{ ...request, path: 'status' }]],
    ['an extra field', IpcChannel.apiRequest, [{ ...request, internal: true }]],
    ['an over-long token', IpcChannel.apiRequest, [{ ...request, token: 'x'.repeat(513) }]],
    ['an argument to appInfo', IpcChannel.appInfo, ['x']],
    ['a number for a URL', IpcChannel.openExternal, [42]],
    ['an empty URL', IpcChannel.openExternal, ['']],
    ['an over-long URL', IpcChannel.openExternal, [`https://a.example/${'x'.repeat(2048)}`]],
  ])('refuses %s as malformed', (_label, channel, args) => {
    const refusal = checkIpcCall(channel, ours, args);
    expect(refusal).toEqual({ status: 400, code: 'VALIDATION_FAILED', message: `malformed arguments for ${channel}` });
    expect(refusalResponse(refusal!)).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: `malformed arguments for ${channel}` } },
    });
  });
});
