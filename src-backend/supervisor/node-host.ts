import { fork, type ChildProcess } from 'node:child_process';
import type { ParentMessage } from '../contracts/supervisor.js';
import { BaseChild } from './base-child.js';
import type { ChildHandle, ProcessHost, ProcessSpec } from './process-host.js';

class NodeChild extends BaseChild {
  constructor(private readonly cp: ChildProcess) {
    super();
    this.pipeLines(cp.stdout, 'stdout');
    this.pipeLines(cp.stderr, 'stderr');
    cp.on('message', (m) => this.handleMessage(m));
    cp.on('exit', (code, signal) => this.handleExit({ code, signal }));
    cp.on('error', () => {
      // spawn failures surface as an exit with no code; 'exit' may never come
      if (cp.exitCode === null && cp.pid === undefined) this.handleExit({ code: null, signal: null });
    });
  }

  get pid(): number | undefined {
    return this.cp.pid;
  }

  postMessage(msg: ParentMessage): void {
    if (this.cp.connected) this.cp.send(msg);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.exited) this.cp.kill(signal);
  }
}

/** child_process.fork: --server mode and the tests. */
export class NodeHost implements ProcessHost {
  readonly kind = 'node' as const;

  fork(spec: ProcessSpec): ChildHandle {
    const cp = fork(spec.entry, [], {
      env: { ...spec.env },
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    return new NodeChild(cp);
  }
}
