import { Type, type TStringOptions } from 'typebox';

/**
 * Text people type that others will see (names, course titles, chat, notifications) must not
 * carry characters that act instead of showing: C0 and C1 controls move a terminal's cursor or
 * clear it (`ESC [2J`), and bidi overrides make text read differently from how it is stored
 * (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C). One pattern, used by every such field.
 */
export const CONTROL_CHARS = '\\u0000-\\u001f\\u007f-\\u009f';
export const BIDI_CHARS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/** No control or bidi character anywhere. Multi-line text allows the line break and the tab. */
export const PLAIN_TEXT_PATTERN = `^[^${CONTROL_CHARS}${BIDI_CHARS}]*$`;
export const MULTILINE_TEXT_PATTERN = `^(?:[\\t\\n]|[^${CONTROL_CHARS}${BIDI_CHARS}])*$`;

const PLAIN_TEXT_RE = new RegExp(PLAIN_TEXT_PATTERN, 'u');
const MULTILINE_TEXT_RE = new RegExp(MULTILINE_TEXT_PATTERN, 'u');
const CONTROL_RE = new RegExp(`[${CONTROL_CHARS}]`, 'u');

/** A single-line string with no control or bidi character. */
export function PlainText(opts: TStringOptions = {}) {
  return Type.String({ ...opts, pattern: PLAIN_TEXT_PATTERN });
}

/** Chat and notification bodies: line breaks and tabs allowed, other controls and bidi not. */
export function MultilineText(opts: TStringOptions = {}) {
  return Type.String({ ...opts, pattern: MULTILINE_TEXT_PATTERN });
}

export const isPlainText = (s: string): boolean => PLAIN_TEXT_RE.test(s);
export const isMultilineText = (s: string): boolean => MULTILINE_TEXT_RE.test(s);
export const hasControlChar = (s: string): boolean => CONTROL_RE.test(s);
