/**
 * When the selection window is open: from `opensAt` (never, if unscheduled) until `closesAt`
 * (for good, if none). The data service decides with it; the console uses it to see whether a
 * schedule change would open or close selection at once, and asks first.
 */
export function isWindowOpenAt(opensAt: string | null, closesAt: string | null, nowMs: number): boolean {
  if (opensAt === null || nowMs < Date.parse(opensAt)) return false;
  return closesAt === null || nowMs < Date.parse(closesAt);
}
