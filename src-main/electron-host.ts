import { app, utilityProcess, type UtilityProcess } from 'electron';
import type { ParentMessage } from '../src-backend/contracts/supervisor.js';
import { BaseChild } from '../src-backend/supervisor/base-child.js';
import type { ChildHandle, ProcessHost, ProcessSpec } from '../src-backend/supervisor/process-host.js';

class ElectronChild extends BaseChild {
  private pidValue: number | undefined;

  constructor(
    private readonly proc: UtilityProcess,
    readonly serviceName: string,
  ) {
    super();
    this.pidValue = proc.pid;
    proc.on('spawn', () => (this.pidValue = proc.pid));
    this.pipeLines(proc.stdout, 'stdout');
    this.pipeLines(proc.stderr, 'stderr');
    proc.on('message', (m: unknown) => this.handleMessage(m));
    proc.on('exit', (code) => this.handleExit({ code, signal: null }));
  }

  get pid(): number | undefined {
    return this.pidValue;
  }

  /** Called from the app-wide `child-process-gone` listener: Electron's crash report. */
  gone(reason: string, exitCode: number): void {
    this.handleExit({ code: exitCode, signal: reason === 'clean-exit' ? null : reason });
  }

  postMessage(msg: ParentMessage): void {
    if (!this.exited) this.proc.postMessage(msg);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.exited) return;
    // utilityProcess.kill() cannot choose a signal; for a hard kill go through the pid.
    if (signal === 'SIGKILL' && this.pidValue) {
      try {
        process.kill(this.pidValue, 'SIGKILL');
        return;
      } catch {
        // already gone
      }
    }
    this.proc.kill();
  }
}

/** utilityProcess.fork: how the desktop app runs the services (RunAsNode is fused off). */
export class ElectronHost implements ProcessHost {
  readonly kind = 'electron' as const;
  private readonly children = new Map<string, ElectronChild>();

  constructor() {
    app.on('child-process-gone', (_event, details) => {
      if (details.type !== 'Utility' || !details.name) return;
      this.children.get(details.name)?.gone(details.reason, details.exitCode);
    });
  }

  fork(spec: ProcessSpec): ChildHandle {
    const proc = utilityProcess.fork(spec.entry, [], {
      env: { ...spec.env },
      stdio: 'pipe',
      serviceName: spec.name,
    });
    const child = new ElectronChild(proc, spec.name);
    this.children.set(spec.name, child);
    child.onExit(() => {
      if (this.children.get(spec.name) === child) this.children.delete(spec.name);
    });
    return child;
  }
}
