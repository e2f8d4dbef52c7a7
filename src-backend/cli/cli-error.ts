import { escapeControls } from './output/escape.js';

/** Exit codes the issue fixes: 0 success, 1 failure, 2 wrong usage. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** Ctrl-C at a prompt, as shells report SIGINT */ interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The only error the CLI prints: one line naming the problem, never a stack.
 * Anything else that escapes a command is a bug and is reported as one line too.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, ExitCode.usage);
export const failure = (message: string) => new CliError(message, ExitCode.failure);

/** Collapse any message to one line, so multi-line server text cannot break the contract. */
export function oneLine(message: string): string {
  return escapeControls(message.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}
