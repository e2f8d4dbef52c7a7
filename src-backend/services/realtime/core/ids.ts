import { badRequest } from '../../../shared/app-error.js';

/** Payload fields that name users. Older clients send them as strings ("recipientId": "12"). */
const ID_FIELDS = ['receiverId', 'recipientId', 'senderId', 'userId'] as const;
const ID_LIST_FIELDS = ['userIds'] as const;
const DIGITS = /^[0-9]{1,15}$/;

function toId(field: string, value: unknown): unknown {
  if (typeof value !== 'string') return value; // numbers and wrong types are left to the schema
  if (!DIGITS.test(value))
    throw badRequest(`${field} must be a numeric user id, got ${JSON.stringify(value.slice(0, 40))}`);
  return Number(value);
}

/**
 * Digit-only strings in user-id fields become numbers, so an older client works unchanged; any
 * other string is a clear error here rather than a schema message about types. Returns a copy.
 */
export function normalizeIds<T>(payload: T): T {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  for (const f of ID_FIELDS) if (f in out) out[f] = toId(f, out[f]);
  for (const f of ID_LIST_FIELDS) {
    const list = out[f];
    if (Array.isArray(list)) out[f] = list.map((v) => toId(f, v));
  }
  return out as T;
}

/** Older clients' `collegeId` is our student group: either name works, both must agree. */
export function broadcastGroup(p: { groupId?: string; collegeId?: string }): string | undefined {
  if (p.groupId !== undefined && p.collegeId !== undefined && p.groupId !== p.collegeId) {
    throw badRequest('groupId and collegeId name the same group; give one, or the same value');
  }
  return p.groupId ?? p.collegeId;
}
