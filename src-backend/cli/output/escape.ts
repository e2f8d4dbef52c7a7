import { BIDI_CHARS, CONTROL_CHARS } from '../../contracts/text-rules.js';

const ACTING = new RegExp(`[${CONTROL_CHARS}${BIDI_CHARS}]`, 'gu');
const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from the server or a file, made safe to print: every control or bidi character is
 * shown as an escape (`\u001b`) instead of acting on the terminal. A name stored before the
 * schema refused them could otherwise clear the admin's screen (`ESC [2J`) or reorder a line.
 */
export function escapeControls(text: string): string {
  return text.replace(ACTING, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
