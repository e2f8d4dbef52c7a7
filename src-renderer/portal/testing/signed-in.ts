import type { AuthUser } from '@contracts/auth';
import { ApiClient } from '../../src/api/client';
import { installApi } from '../../src/api/instance';
import { MemoryTransport } from '../../src/testing/memory-transport';
import { useAccountStore } from '../stores/account';

export const userFor = (id: number, role: AuthUser['role'] = 'student'): AuthUser => ({
  id,
  username: `user${id}`,
  name: `User ${id}`,
  email: `user${id}@example.edu`,
  role,
  group: 'cs',
  disabled: false,
  mustChangePassword: false,
  totpEnabled: true,
  createdAt: '2026-12-01T00:00:00Z',
});

/**
 * Signed in through the real account store over a MemoryTransport that answers the sign-in;
 * the transport is returned so the test can add the HTTP routes its store calls.
 */
export async function signedIn(
  id: number,
  token: string,
  role: AuthUser['role'] = 'student',
): Promise<MemoryTransport> {
  const transport = new MemoryTransport().on('POST', 'auth_node', /^\/login$/, () => ({
    status: 200,
    body: { token, expiresAt: '2099-01-01T00:00:00Z', user: userFor(id, role), mfaSetupRequired: false },
  }));
  installApi(new ApiClient(transport));
  await useAccountStore().signIn({ username: `user${id}`, password: 'pw', totp: '123456' });
  return transport;
}
