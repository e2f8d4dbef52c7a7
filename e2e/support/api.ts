import { TOTP } from 'otpauth';
import type { CreatedUser, LoginResponse } from '../../src-backend/contracts/auth.js';
import type { SupervisorStatus } from '../../src-backend/contracts/supervisor.js';

/**
 * The backend as the test process sees it: real HTTP calls through the gateway, with real
 * tokens. Used to set up what a scenario needs and to act as a student, never to stand in for
 * the console under test.
 */
export class Backend {
  constructor(
    readonly baseURL: string,
    readonly adminPassword: string,
  ) {}

  static fromEnv(): Backend {
    const url = process.env.E2E_BASE_URL;
    const pw = process.env.E2E_ADMIN_PASSWORD;
    if (!url || !pw)
      throw new Error('E2E_BASE_URL/E2E_ADMIN_PASSWORD missing: run through playwright.config.ts (global setup)');
    return new Backend(url, pw);
  }

  async call<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseURL}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async ok<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await this.call<T>(method, path, body, token);
    if (res.status < 200 || res.status >= 300)
      throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async adminLogin(): Promise<LoginResponse> {
    return this.ok<LoginResponse>('POST', '/api/auth_node/login/admin', {
      username: 'admin',
      password: this.adminPassword,
    });
  }

  async status(token: string): Promise<SupervisorStatus> {
    return this.ok<SupervisorStatus>('GET', '/api/supervisor/status', undefined, token);
  }

  async createStudent(
    token: string,
    username: string,
    group = 'e2e-group',
  ): Promise<CreatedUser & { password: string }> {
    // never containing the username: the password policy refuses that
    const password = `pw-${Buffer.from(username).toString('hex')}-123456`;
    const created = await this.ok<CreatedUser>(
      'POST',
      '/api/auth_node/admin/users',
      { role: 'student', username, name: `Student ${username}`, email: `${username}@example.com`, group, password },
      token,
    );
    return { ...created, password };
  }

  /** Sign in as a student the real way: password plus a TOTP code from their secret. */
  async studentLogin(username: string, password: string, totpSecret: string): Promise<LoginResponse> {
    const totp = new TOTP({ secret: totpSecret, digits: 6, period: 30, algorithm: 'SHA1' });
    return this.ok<LoginResponse>('POST', '/api/auth_node/login', { username, password, totp: totp.generate() });
  }
}
