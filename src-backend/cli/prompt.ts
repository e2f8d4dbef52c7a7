import readline from 'node:readline';
import { CliError, ExitCode, usageError } from './cli-error.js';

export interface PromptIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

/**
 * Ask for a secret. At a terminal the typed characters are not echoed; from a pipe the first
 * line of stdin is the answer (so scripts can `printf 'pw\n' | course-cli user login …`).
 */
export async function promptSecret(question: string, io: PromptIo): Promise<string> {
  if (!io.stdin.isTTY) {
    const line = await readFirstLine(io.stdin);
    if (line === null || line === '') throw usageError('password required: pass --password or type it at the prompt');
    return line;
  }
  return new Promise<string>((resolve, reject) => {
    const stdin = io.stdin;
    let value = '';
    const wasRaw = stdin.isRaw;
    // Echo off before the question shows, so a quick typist or a paste is never echoed.
    stdin.setRawMode(true);
    io.stderr.write(question);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err: Error | null) => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.off('data', onData);
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          if (value === '') return done(usageError('password required: pass --password or type it at the prompt'));
          return done(null);
        }
        if (ch === '\u0003') return done(new CliError('cancelled', ExitCode.interrupted));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** Ask for a plain answer at a terminal (echoed, as a username should be); empty is a usage error. */
export async function promptLine(question: string, io: PromptIo, whenEmpty: string): Promise<string> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await new Promise<string | null>((resolve, reject) => {
      rl.once('SIGINT', () => reject(new CliError('cancelled', ExitCode.interrupted)));
      rl.once('close', () => resolve(null)); // Ctrl-D
      rl.question(question, resolve);
    });
    const value = answer?.trim() ?? '';
    if (value === '') throw usageError(whenEmpty);
    return value;
  } finally {
    rl.close();
  }
}

/** Ask yes/no at a terminal; anything but y/yes is no. */
export async function confirm(question: string, io: PromptIo): Promise<boolean> {
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

async function readFirstLine(stdin: NodeJS.ReadStream): Promise<string | null> {
  const rl = readline.createInterface({ input: stdin, terminal: false });
  try {
    for await (const line of rl) return line.replace(/\r$/, '');
    return null;
  } finally {
    rl.close();
  }
}
