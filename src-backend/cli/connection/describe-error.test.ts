import { describe, expect, it } from 'vitest';
import { ExitCode } from '../cli-error.js';
import { NotHereError, UnreachableError } from './api.js';
import { responseError, transportError } from './describe-error.js';

const body = (code: string, message: string, details?: unknown) => ({ error: { code, message, details } });

describe('responseError', () => {
  it('turns each error answer into one line naming the problem', () => {
    expect(responseError('auth_node', 401, body('INVALID_SESSION', 'session expired or invalid')).message).toBe(
      'session expired: run course-cli user login',
    );
    expect(responseError('auth_node', 403, body('FORBIDDEN', 'admins only')).message).toBe('not allowed: admins only');
    expect(
      responseError('auth_node', 429, body('RATE_LIMITED', 'too many failed logins', { retryAfterSeconds: 7.2 }))
        .message,
    ).toBe('too many attempts: too many failed logins (try again in 8 s)');
    expect(responseError('auth_node', 409, body('USERNAME_TAKEN', 'username alice is taken')).message).toBe(
      'username alice is taken',
    );
    expect(responseError('auth_node', 500, body('INTERNAL', 'internal error')).message).toBe(
      'auth_node failed: internal error',
    );
    expect(responseError('auth_node', 503, body('SHUTTING_DOWN', 'shutting down')).message).toBe(
      'auth_node is unavailable: shutting down',
    );
  });

  it('folds a multi-line server message and copes with a body that is not ours', () => {
    expect(responseError('auth_node', 400, body('X', 'first\n  second\r\nthird')).message).toBe('first second third');
    expect(responseError('auth_node', 502, '<html>bad gateway</html>').message).toBe(
      'auth_node failed: auth_node answered HTTP 502',
    );
    expect(responseError('auth_node', 404, null).exitCode).toBe(ExitCode.failure);
  });
});

describe('transportError', () => {
  it('says how to start the services locally, and names the URL remotely', () => {
    const down = new UnreachableError('auth_node', 'ECONNREFUSED');
    expect(transportError(down, 'local')?.message).toBe(
      'services not running: start them with npm run server (auth_node did not answer)',
    );
    const remote = new UnreachableError('auth_node', 'http://10.0.0.5:8000: ECONNREFUSED');
    expect(transportError(remote, 'http://10.0.0.5:8000')?.message).toBe(
      'cannot reach http://10.0.0.5:8000: ECONNREFUSED',
    );
    expect(transportError(new UnreachableError('auth_node', 'x', true), 'local')?.message).toBe(
      'auth_node did not answer in time (x)',
    );
    expect(
      transportError(new NotHereError('auth_node', 'data_node', 'http://h:8001'), 'http://h:8001')?.message,
    ).toMatch(/^http:\/\/h:8001 is data_node only; this command needs auth_node/);
    expect(transportError(new Error('other'), 'local')).toBeNull();
  });
});
