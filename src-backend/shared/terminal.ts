/**
 * Lines meant for the person at the terminal only (the first start's one-time admin password):
 * a child writes them to stderr with this prefix, and the supervisor prints them on its own
 * terminal without keeping them in the log buffer, the Logs view, the realtime backlog or the
 * log files. Run without a supervisor, the prefix is all that shows.
 */
export const TERMINAL_ONLY_PREFIX = '[terminal-only] ';

export function writeToTerminal(text: string, out: { write(s: string): unknown } = process.stderr): void {
  for (const line of text.split('\n')) out.write(`${TERMINAL_ONLY_PREFIX}${line}\n`);
}

/** The text of a terminal-only line, or null for an ordinary log line. */
export function terminalOnlyText(line: string): string | null {
  return line.startsWith(TERMINAL_ONLY_PREFIX) ? line.slice(TERMINAL_ONLY_PREFIX.length) : null;
}
