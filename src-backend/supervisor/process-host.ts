import type { ChildMessage, ParentMessage } from '../contracts/supervisor.js';
import type { Event } from './event.js';

/** What the supervisor asks a host to start. Built once, never mutated. */
export interface ProcessSpec {
  readonly name: string;
  /** absolute path of the built entry file */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface OutputLine {
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

/** One running child, however it was made. */
export interface ChildHandle {
  readonly pid: number | undefined;
  readonly onMessage: Event<ChildMessage>;
  readonly onExit: Event<ExitInfo>;
  readonly onOutput: Event<OutputLine>;
  readonly exited: boolean;
  postMessage(msg: ParentMessage): void;
  kill(signal?: NodeJS.Signals): void;
  /** Race the exit against `ms`; when the timeout wins, SIGKILL and wait for the exit. True if it left by itself. */
  waitForExit(ms: number): Promise<boolean>;
}

/**
 * How processes are made: `NodeHost` (child_process.fork) for --server mode and tests,
 * `ElectronHost` (utilityProcess.fork, in src-main) for the desktop app.
 */
export interface ProcessHost {
  readonly kind: 'node' | 'electron';
  fork(spec: ProcessSpec): ChildHandle;
}
