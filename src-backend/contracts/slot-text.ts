import type { Slot } from './courses.js';

/**
 * Weekly slots as people write them in a CSV or a form: `Mon 09:00-10:30; Wed 09:00-10:30`.
 * Pure text work, shared by course-cli's import, the console's import preview and its forms.
 */
export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const LONG_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const SLOT_RE = /^([A-Za-z]+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;

export type SlotsParse = { ok: true; slots: Slot[] } | { ok: false; problem: string };

/** "" is no slots. Days are Mon-Sun (or the full name, any case); times 00:00-23:59. */
export function parseSlots(text: string): SlotsParse {
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const slots: Slot[] = [];
  for (const part of parts) {
    const m = SLOT_RE.exec(part);
    const day = m ? dayNumber(m[1]!) : null;
    if (!m || day === null) {
      return { ok: false, problem: `slot ${JSON.stringify(part)} is not like "Mon 09:00-10:30"` };
    }
    const start = time(m[2]!, m[3]!);
    const end = time(m[4]!, m[5]!);
    if (!start || !end) return { ok: false, problem: `slot ${JSON.stringify(part)} has a time outside 00:00-23:59` };
    // Zero-padded HH:MM strings compare like the times they name.
    if (end <= start) return { ok: false, problem: `slot ${JSON.stringify(part)} ends before it starts` };
    slots.push({ day, start, end });
  }
  for (let i = 0; i < slots.length; i++) {
    for (let j = i + 1; j < slots.length; j++) {
      const a = slots[i]!;
      const b = slots[j]!;
      if (a.day === b.day && a.start < b.end && b.start < a.end) {
        return { ok: false, problem: `slots ${formatSlot(a)} and ${formatSlot(b)} overlap` };
      }
    }
  }
  return { ok: true, slots };
}

export function formatSlot(s: Slot): string {
  return `${DAY_NAMES[s.day - 1] ?? `day ${s.day}`} ${s.start}-${s.end}`;
}

/** The inverse of parseSlots: `Mon 09:00-10:30; Wed 09:00-10:30`. */
export function formatSlots(slots: readonly Slot[]): string {
  return slots.map(formatSlot).join('; ');
}

function dayNumber(name: string): number | null {
  const lower = name.toLowerCase();
  const short = DAY_NAMES.findIndex((d) => d.toLowerCase() === lower);
  if (short >= 0) return short + 1;
  const long = LONG_DAYS.indexOf(lower);
  return long >= 0 ? long + 1 : null;
}

function time(h: string, m: string): string | null {
  const hh = Number(h);
  const mm = Number(m);
  if (hh > 23 || mm > 59) return null;
  return `${String(hh).padStart(2, '0')}:${m}`;
}
