import readline from 'node:readline';
import type { ChildMessage, ParentMessage } from '../contracts/supervisor.js';
import { settlesWithin } from '../shared/settles-within.js';
import { Emitter } from './event.js';
import type { ChildHandle, ExitInfo, OutputLine } from './process-host.js';

/** The parts of a ChildHandle both hosts share: events, line splitting, waitForExit. */
export abstract class BaseChild implements ChildHandle {
  protected readonly messageEmitter = new Emitter<ChildMessage>();
  protected readonly exitEmitter = new Emitter<ExitInfo>();
  protected readonly outputEmitter = new Emitter<OutputLine>();
  readonly onMessage = this.messageEmitter.event;
  readonly onExit = this.exitEmitter.event;
  readonly onOutput = this.outputEmitter.event;
  private exitInfo: ExitInfo | null = null;
  private readonly exitPromise: Promise<ExitInfo>;
  private resolveExit!: (info: ExitInfo) => void;

  constructor() {
    this.exitPromise = new Promise((resolve) => (this.resolveExit = resolve));
  }

  abstract readonly pid: number | undefined;
  abstract postMessage(msg: ParentMessage): void;
  abstract kill(signal?: NodeJS.Signals): void;

  get exited(): boolean {
    return this.exitInfo !== null;
  }

  async waitForExit(ms: number): Promise<boolean> {
    if (this.exitInfo || (await settlesWithin(this.exitPromise, ms))) return true;
    this.kill('SIGKILL');
    await this.exitPromise;
    return false;
  }

  protected pipeLines(stream: NodeJS.ReadableStream | null | undefined, name: OutputLine['stream']): void {
    if (!stream) return;
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    rl.on('line', (line) => this.outputEmitter.fire({ stream: name, line }));
  }

  protected handleMessage(raw: unknown): void {
    if (typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string') {
      this.messageEmitter.fire(raw as ChildMessage);
    }
  }

  protected handleExit(info: ExitInfo): void {
    if (this.exitInfo) return;
    this.exitInfo = info;
    this.resolveExit(info);
    this.exitEmitter.fire(info);
  }
}
