import { spawn } from 'node:child_process';
import { cliJs, type CliRun } from './run-cli.js';

export interface TtyStep {
  /** wait until the output so far matches this */
  readonly when: RegExp;
  /** then type this (a carriage return is Enter at a terminal) */
  readonly send: string;
}

/**
 * Run the built CLI on a real pseudo-terminal (util-linux `script`), typing answers only once
 * a prompt is showing, as a person would. stdout and stderr arrive merged, as on a screen.
 */
export function runCliInTty(
  args: readonly string[],
  opts: { home: string; env?: Record<string, string>; steps: readonly TtyStep[]; timeoutMs?: number },
): Promise<CliRun> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, cliJs(), ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', HOME: opts.home, TERM: 'xterm', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let step = 0;
    const advance = () => {
      while (step < opts.steps.length && opts.steps[step]!.when.test(out)) {
        child.stdin.write(opts.steps[step]!.send);
        step++;
      }
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      advance();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`course-cli ${args.join(' ')} in a TTY did not finish; output so far:\n${out}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: out, stderr: '' });
    });
  });
}
