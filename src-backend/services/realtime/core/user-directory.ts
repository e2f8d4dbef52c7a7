import { notFound } from '../../../shared/app-error.js';
import { ServiceCallError, type ServiceClient } from '../../../shared/service-client.js';
import { DataIdentityRoutes } from '../../../contracts/routes/data-identity.js';

/**
 * "Does this user exist?" for chat receivers and notification recipients, so a typo is a clear
 * error instead of a message stored for nobody. Known ids are cached for a minute: a chat burst
 * costs no extra hop per message. Unknown ids are not cached (the user may be created next).
 */
export class UserDirectory {
  private readonly known = new Map<number, number>();

  constructor(
    private readonly client: ServiceClient,
    private readonly ttlMs = 60_000,
    private readonly max = 100_000,
  ) {}

  remember(id: number): void {
    if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value as number);
    this.known.set(id, Date.now() + this.ttlMs);
  }

  async require(id: number): Promise<void> {
    if ((this.known.get(id) ?? 0) > Date.now()) return;
    try {
      await this.client.call(DataIdentityRoutes.getUser, { params: { id } });
    } catch (err) {
      if (err instanceof ServiceCallError && err.statusCode === 404)
        throw notFound(`no user with id ${id}`, 'USER_NOT_FOUND');
      throw err;
    }
    this.remember(id);
  }
}
