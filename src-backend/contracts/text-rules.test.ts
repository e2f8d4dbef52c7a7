import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { Email, PersonName } from './auth.js';
import { CourseCode, GroupName } from './courses.js';
import { ChatSendPayload, NotificationBody } from './realtime.js';
import { MultilineText, PlainText } from './text-rules.js';

const ACTING = [
  '\u0000',
  '\u0007',
  '\u001b[2J',
  '\r',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
];

describe('text rules', () => {
  it('plain text refuses every C0/C1 control and bidi character, and keeps the rest of Unicode', () => {
    const plain = Compile(PlainText({ maxLength: 100 }));
    for (const c of ACTING) {
      expect(plain.Check(`Bob${c}by`), JSON.stringify(c)).toBe(false);
      expect(Value.Check(PlainText(), `${c}x`), JSON.stringify(c)).toBe(false);
    }
    expect(plain.Check('\n')).toBe(false);
    expect(plain.Check('\t')).toBe(false);
    for (const ok of ['Zoë Ångström', '王小明', 'محمد', "O'Brien-Smith", '😀 emoji', ''])
      expect(plain.Check(ok)).toBe(true);
  });

  it('multi-line text allows line breaks and tabs, nothing else that acts', () => {
    const multi = Compile(MultilineText());
    expect(multi.Check('line one\nline two\tindented')).toBe(true);
    for (const c of ACTING) expect(multi.Check(`a${c}b`), JSON.stringify(c)).toBe(false);
  });

  it('is what names, emails, groups, chat and notification text are checked with', () => {
    const evil = 'Mallory\u001b[2J\u202e';
    expect(Value.Check(PersonName, evil)).toBe(false);
    expect(Value.Check(PersonName, 'Mallory')).toBe(true);
    expect(Value.Check(Email, 'mal\u001b@example.org')).toBe(false);
    expect(Value.Check(Email, 'mal\u202e@example.org')).toBe(false);
    expect(Value.Check(Email, 'mal@example.org')).toBe(true);
    expect(Value.Check(GroupName, 'g\u0085')).toBe(false);
    expect(Value.Check(CourseCode, 'CS\u202e101')).toBe(false);
    expect(Value.Check(ChatSendPayload, { receiverId: 2, message: evil })).toBe(false);
    expect(Value.Check(ChatSendPayload, { receiverId: 2, message: 'hi\nthere' })).toBe(true);
    expect(Value.Check(NotificationBody.title, evil)).toBe(false);
    expect(Value.Check(NotificationBody.message, evil)).toBe(false);
  });
});
