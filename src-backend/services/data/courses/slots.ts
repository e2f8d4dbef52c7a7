import type { Slot } from '../../../contracts/courses.js';
import { badRequest } from '../../../shared/app-error.js';

/** "HH:MM" → minutes since midnight (the schema has already checked the shape). */
export function minutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export function slotsOverlap(a: Slot, b: Slot): boolean {
  return a.day === b.day && minutes(a.start) < minutes(b.end) && minutes(b.start) < minutes(a.end);
}

/** Slots of `course` that overlap any of `held`, as pairs. */
export function overlappingSlots(course: readonly Slot[], held: readonly Slot[]): Array<[Slot, Slot]> {
  const out: Array<[Slot, Slot]> = [];
  for (const a of course) for (const b of held) if (slotsOverlap(a, b)) out.push([a, b]);
  return out;
}

/** A course's own slots: each ends after it starts, and they don't overlap each other. */
export function validateSlots(slots: readonly Slot[]): void {
  slots.forEach((s, i) => {
    if (minutes(s.end) <= minutes(s.start)) {
      throw badRequest(`slot ${i + 1} (day ${s.day}) ends at ${s.end}, not after its start ${s.start}`, 'INVALID_SLOT');
    }
  });
  for (let i = 0; i < slots.length; i++) {
    for (let j = i + 1; j < slots.length; j++) {
      if (slotsOverlap(slots[i]!, slots[j]!)) throw badRequest(`slots ${i + 1} and ${j + 1} overlap`, 'INVALID_SLOT');
    }
  }
}

/** Sort for storage and display: by day, then start. */
export function sortSlots(slots: readonly Slot[]): Slot[] {
  return [...slots].sort((a, b) => a.day - b.day || minutes(a.start) - minutes(b.start));
}
