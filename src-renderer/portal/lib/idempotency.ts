/**
 * A fresh Idempotency-Key (the services accept up to 64 of `A-Z a-z 0-9 _ . : -`). A retry of
 * the same request sends the same key, so a lost answer never costs a second ticket.
 */
export function newIdempotencyKey(): string {
  return `p.${crypto.randomUUID()}`;
}
