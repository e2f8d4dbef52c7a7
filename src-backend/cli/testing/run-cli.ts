import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtEntryDir } from '../../testing/stack.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly home: string;
  /** the environment besides HOME and PATH: a stack's addresses, NO_COLOR, COURSE_CLI_URL… */
  readonly env?: Readonly<Record<string, string>>;
  /** written to stdin, which is then closed (stdin is a pipe, never a TTY) */
  readonly input?: string;
  readonly timeoutMs?: number;
}

export const cliJs = (): string => path.join(builtEntryDir(), 'cli.js');

/** Run the built CLI as a user would: its own process, a clean environment, our HOME. */
export function runCli(args: readonly string[], opts: RunOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliJs(), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: opts.home, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`course-cli ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 30_000} ms; stderr: ${stderr}`),
      );
    }, opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // the CLI may exit before reading stdin
    child.stdin.end(opts.input ?? '');
  });
}

/** A fresh HOME per test, so sessions never leak between tests. */
export function makeHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-home-'));
  fs.chmodSync(dir, 0o700);
  return dir;
}

/**
 * What a user's shell would know about a running stack: where the sockets and ports are.
 * Never the internal token: the CLI acts with the admin's session only.
 */
export function cliEnvFor(stackEnv: Readonly<Record<string, string>>): Record<string, string> {
  const keep = /^(HOST|SOCKET_DIR|USE_SOCKETS|GATEWAY_PORT|[A-Z_]+_PORT)$/;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(stackEnv)) if (keep.test(k)) env[k] = v;
  return env;
}

/** The error contract: exactly one line on stderr, and never a stack frame. */
export function oneErrorLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((l) => l.length > 0);
  if (lines.length !== 1) throw new Error(`expected one stderr line, got ${lines.length}:\n${run.stderr}`);
  if (/^\s+at /m.test(run.stderr)) throw new Error(`stack trace on stderr:\n${run.stderr}`);
  return lines[0]!;
}
