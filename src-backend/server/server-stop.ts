import fs from 'node:fs';
import os from 'node:os';
import { IN_FLIGHT_GRACE_MS } from '../shared/connection-drain.js';
import type { App } from '../shared/create-app.js';
import type { Listening } from '../shared/dual-listen.js';
import { settlesWithin } from '../shared/settles-within.js';
import type { Backend } from './launch.js';

/** The whole stop, first signal to exit. systemd, Docker and CI runners send SIGKILL after 10 s. */
export const STOP_DEADLINE_MS = 9500;
/** The services' share of it, data last; the gateway drains alongside. */
const SERVICES_BUDGET_MS = 7000;

export interface ServerStopTargets {
  readonly gateway: App;
  /** the gateway's listeners */
  readonly listening: Listening;
  readonly backend: Backend;
  readonly write: (text: string) => void;
  readonly exit: (code: number) => void;
}

/**
 * Ctrl-C and SIGTERM in server mode. The first signal stops everything in order: the gateway
 * refuses new work and closes idle connections, the services stop in reverse order (realtime
 * tells its Socket.IO clients to go, data goes last), the gateway's last requests are answered
 * or given a coded 503, and the process exits 0. A second signal, or the deadline, kills what
 * is left at once.
 */
export class ServerStop {
  private first: NodeJS.Signals | null = null;

  constructor(private readonly t: ServerStopTargets) {}

  get started(): boolean {
    return this.first !== null;
  }

  onSignal(signal: NodeJS.Signals): void {
    if (this.first) {
      this.force(`${signal} again: forcing the stop now`, 128 + (os.constants.signals[signal] ?? 0));
      return;
    }
    this.first = signal;
    void this.graceful(signal);
  }

  private async graceful(signal: NodeJS.Signals): Promise<void> {
    const { gateway, listening, backend } = this.t;
    this.t.write(`\n${signal}: stopping services… (Ctrl-C again to force)\n`);
    // Before anything awaits: a child that exits on its own from here on is stopped, not crashed.
    backend.supervisor.beginShutdown();
    setTimeout(
      () => this.force(`the stop took over ${STOP_DEADLINE_MS / 1000} s: forcing it`, 1),
      STOP_DEADLINE_MS,
    ).unref();
    gateway.draining = true;
    const gatewayClosed = (async () => {
      await listening.close();
      await gateway.close();
    })();
    try {
      await backend.close(SERVICES_BUDGET_MS);
    } catch (err) {
      this.t.write(`server: while stopping: ${(err as Error).message}\n`);
    }
    // Socket.IO tunnels ended with realtime; what is left are requests still in flight.
    if (!(await settlesWithin(gatewayClosed, IN_FLIGHT_GRACE_MS))) {
      listening.force();
      await gatewayClosed;
    }
    this.t.write('all services stopped\n');
    this.t.exit(0);
  }

  private force(line: string, code: number): void {
    this.t.write(`${line}\n`);
    this.t.backend.supervisor.killAll();
    this.t.listening.force();
    if (this.t.listening.socketPath && process.platform !== 'win32') {
      fs.rmSync(this.t.listening.socketPath, { force: true });
    }
    this.t.exit(code);
  }
}
