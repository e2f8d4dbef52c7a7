import { PRESENCE_SCOPE_BATCH_MAX, type PresenceScope } from '../../../contracts/messaging.js';
import { DataMessagingRoutes } from '../../../contracts/routes/data-messaging.js';
import { MicroBatcher } from '../../../shared/micro-batcher.js';
import type { ServiceClient } from '../../../shared/service-client.js';

/**
 * Who may see whose presence: a student sees only users they share a course or a conversation
 * with (staff see everyone). Scopes come from data_node, asked for many users in one call (a
 * connect storm is a few calls) and kept for a minute; a new conversation forgets both sides.
 */
export class PresenceScopes {
  private readonly cache = new Map<number, { scope: PresenceScope; until: number }>();
  private readonly batcher: MicroBatcher<number, PresenceScope>;

  constructor(
    client: ServiceClient,
    private readonly ttlMs = 60_000,
    private readonly max = 100_000,
  ) {
    this.batcher = new MicroBatcher({
      windowMs: 2,
      maxBatch: PRESENCE_SCOPE_BATCH_MAX,
      maxInFlight: 4,
      key: String,
      send: async (userIds) => (await client.call(DataMessagingRoutes.presenceScopes, { body: { userIds } })).scopes,
    });
  }

  async of(userId: number): Promise<PresenceScope> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > Date.now()) return hit.scope;
    const scope = await this.batcher.submit(userId);
    if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value as number);
    this.cache.set(userId, { scope, until: Date.now() + this.ttlMs });
    return scope;
  }

  /** The ids among `others` whose presence `viewer` (a student) may see. */
  async visibleTo(viewer: number, others: readonly number[]): Promise<Set<number>> {
    const [mine, ...theirs] = await Promise.all([viewer, ...others].map((id) => this.of(id)));
    const myCourses = new Set(mine!.courseIds);
    const visible = new Set<number>();
    theirs.forEach((s, i) => {
      const id = others[i]!;
      if (id === viewer || mine!.partnerIds.includes(id) || s!.courseIds.some((c) => myCourses.has(c))) visible.add(id);
    });
    return visible;
  }

  /** Two users now share a conversation. */
  forget(...userIds: number[]): void {
    for (const id of userIds) this.cache.delete(id);
  }
}
