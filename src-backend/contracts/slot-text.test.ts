import { describe, expect, it } from 'vitest';
import { formatSlots, parseSlots } from './slot-text.js';

describe('parseSlots', () => {
  it('reads "Mon 09:00-10:30; Wed 09:00-10:30" and writes it back the same', () => {
    const r = parseSlots('Mon 09:00-10:30; Wed 09:00-10:30');
    expect(r).toEqual({
      ok: true,
      slots: [
        { day: 1, start: '09:00', end: '10:30' },
        { day: 3, start: '09:00', end: '10:30' },
      ],
    });
    expect(r.ok && formatSlots(r.slots)).toBe('Mon 09:00-10:30; Wed 09:00-10:30');
  });

  it('takes full day names in any case, one-digit hours and spaces around the dash; empty is no slots', () => {
    expect(parseSlots('friday 9:05 - 10:00;')).toEqual({ ok: true, slots: [{ day: 5, start: '09:05', end: '10:00' }] });
    expect(parseSlots('  ')).toEqual({ ok: true, slots: [] });
  });

  it.each([
    ['Mon 9-10', 'slot "Mon 9-10" is not like "Mon 09:00-10:30"'],
    ['Funday 09:00-10:00', 'slot "Funday 09:00-10:00" is not like "Mon 09:00-10:30"'],
    ['Tue 24:00-25:00', 'slot "Tue 24:00-25:00" has a time outside 00:00-23:59'],
    ['Tue 11:00-10:00', 'slot "Tue 11:00-10:00" ends before it starts'],
    ['Tue 10:00-10:00', 'slot "Tue 10:00-10:00" ends before it starts'],
    ['Tue 09:00-10:30; Tue 10:00-11:00', 'slots Tue 09:00-10:30 and Tue 10:00-11:00 overlap'],
  ])('refuses %j', (text, problem) => {
    expect(parseSlots(text)).toEqual({ ok: false, problem });
  });

  it('back-to-back slots on one day do not overlap', () => {
    expect(parseSlots('Tue 09:00-10:00; Tue 10:00-11:00').ok).toBe(true);
  });
});
