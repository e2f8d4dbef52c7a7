import fs from 'node:fs';
import path from 'node:path';
import { PORT_ENV, START_ORDER, type ServiceName } from '../contracts/services.js';
import type { SessionForgetRequest } from '../contracts/session.js';
import {
  START_GATE_ENV,
  type LogLevel,
  type LogRecord,
  type ProcessStatus,
  type SupervisorStatus,
} from '../contracts/supervisor.js';
import { socketPathFor, type RuntimeConfig } from '../shared/config.js';
import { createRealtimePublisher, type RealtimePublisher } from '../shared/realtime-publisher.js';
import { ServiceClient } from '../shared/service-client.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { buildChildEnv } from './child-env.js';
import { Emitter, type Disposable } from './event.js';
import { LogFiles, type LogFileOptions } from './log-files.js';
import { LogForwarder } from './log-forwarder.js';
import { parseLogLine } from './log-record.js';
import { terminalOnlyText } from '../shared/terminal.js';
import { ManagedProcess, type CrashInfo } from './managed-process.js';
import type { ProcessHost } from './process-host.js';
import { RingBuffer } from './ring-buffer.js';

export interface SupervisorOptions {
  readonly host: ProcessHost;
  /** must carry the per-launch internal token */
  readonly config: RuntimeConfig;
  /** the folder holding the built `<service>.js` entry files */
  readonly entryDir: string;
  /** per-service entry overrides (tests use a fixture that misbehaves on purpose) */
  readonly entries?: Readonly<Partial<Record<ServiceName, string>>>;
  /** extra environment for every child (ADMIN_PASSWORD, LOG_LEVEL, …) */
  readonly env?: Readonly<Record<string, string>>;
  readonly services?: readonly ServiceName[];
  readonly backoff?: Partial<BackoffOptions>;
  readonly readyTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  readonly healthIntervalMs?: number;
  readonly logBufferSize?: number;
  /** forward logs and process events to the realtime server (off in tests that don't run it) */
  readonly forwardToRealtime?: boolean;
  /** rotating log files, one set per service; default DATA_DIR/logs, 10 MB × 5 files; false = none */
  readonly logFiles?: Partial<LogFileOptions> | false;
}

/** Even past the stop budget, each child gets this long to close its files before SIGKILL. */
const MIN_STOP_SHARE_MS = 500;

/** Starts the services in order, keeps them alive, fans their logs in, and answers for their state. */
export class Supervisor {
  private readonly procs = new Map<ServiceName, ManagedProcess>();
  private readonly order: ServiceName[];
  private readonly client: ServiceClient;
  private readonly logs: RingBuffer<LogRecord>;
  private readonly publisher: RealtimePublisher | null;
  private readonly forwarder: LogForwarder | null;
  private readonly files: LogFiles | null;
  private readonly disposables: Disposable[] = [];
  private healthTimer: NodeJS.Timeout | null = null;
  /** set by stopAll: a start still running must not fork anything more */
  private stopping = false;
  private seq = 0;

  private readonly statusEmitter = new Emitter<ProcessStatus>();
  private readonly logEmitter = new Emitter<LogRecord>();
  private readonly crashEmitter = new Emitter<CrashInfo>();
  private readonly sessionForgetEmitter = new Emitter<SessionForgetRequest>();
  readonly onStatus = this.statusEmitter.event;
  readonly onLog = this.logEmitter.event;
  readonly onCrash = this.crashEmitter.event;
  /** auth_node ended a session or all of a user's: the console dispatcher drops them at once */
  readonly onSessionForget = this.sessionForgetEmitter.event;
  private readonly terminalEmitter = new Emitter<{ service: ServiceName; line: string }>();
  /** lines for the terminal only (the one-time admin password): printed, never stored */
  readonly onTerminal = this.terminalEmitter.event;

  constructor(private readonly opts: SupervisorOptions) {
    const wanted = new Set(opts.services ?? START_ORDER);
    this.order = START_ORDER.filter((n) => wanted.has(n));
    this.client = new ServiceClient({ config: opts.config, connections: 4 });
    this.logs = new RingBuffer(opts.logBufferSize ?? 5000);
    const forward = (opts.forwardToRealtime ?? true) && this.order.includes('realtime');
    this.publisher = forward ? createRealtimePublisher(this.client) : null;
    this.forwarder = forward ? new LogForwarder(this.client, () => this.isRunning('realtime')) : null;
    this.files =
      opts.logFiles === false ? null : new LogFiles({ dir: path.join(opts.config.dataDir, 'logs'), ...opts.logFiles });

    const env = buildChildEnv(process.env, { ...opts.env, ...this.childConfigEnv() });
    for (const name of this.order) {
      const proc = new ManagedProcess({
        name,
        spec: { name, entry: opts.entries?.[name] ?? path.join(opts.entryDir, `${name}.js`), env },
        host: opts.host,
        client: this.client,
        backoff: { ...DEFAULT_BACKOFF, ...opts.backoff },
        readyTimeoutMs: opts.readyTimeoutMs ?? 15_000,
        stopTimeoutMs: opts.stopTimeoutMs ?? 10_000,
        maxHealthFailures: 3,
      });
      this.disposables.push(
        proc.onOutput((line) => {
          const terminal = terminalOnlyText(line.line);
          if (terminal !== null) this.terminalEmitter.fire({ service: name, line: terminal });
          else this.addLog(parseLogLine(name, line, ++this.seq));
        }),
        proc.onStatus((s) => {
          this.statusEmitter.fire(s);
          this.publisher?.adminEvent('process_state', { ...s });
        }),
        proc.onCrash((c) => {
          this.crashEmitter.fire(c);
          this.publisher?.adminEvent('process_restart', { ...c });
        }),
        // Only the service that owns sessions may say one ended.
        proc.onSessionForget((f) => {
          if (name === 'auth_node') this.sessionForgetEmitter.fire(f);
        }),
      );
      this.procs.set(name, proc);
    }
  }

  /**
   * Start data first (everyone needs it), then realtime (others publish to it), then the rest
   * side by side; each must pass its ready handshake and /health before the next stage.
   */
  async startAll(): Promise<void> {
    const stages: ServiceName[][] = [
      ['data_node'],
      ['realtime'],
      this.order.filter((n) => n !== 'data_node' && n !== 'realtime'),
    ];
    // Loading code is most of a start and needs nothing else, so it runs ahead of the stages:
    // each child waits at its start gate and opens its database or port only when its stage
    // comes. Data and realtime fork first and get the cores to themselves; the rest fork once
    // data's code is in, so the first stage is not slowed by five others loading beside it.
    const first: ServiceName[] = this.order.filter((n) => n === 'data_node' || n === 'realtime');
    const rest = this.order.filter((n) => !first.includes(n));
    for (const n of first) this.get(n).preload();
    const data = this.procs.get('data_node');
    this.stopping = false;
    void (data ? data.codeLoaded() : Promise.resolve()).then(() => {
      if (this.stopping) return; // data settled because shutdown began: fork nothing more
      for (const n of rest) this.get(n).preload();
    });
    for (const stage of stages) {
      const here = stage.filter((n) => this.procs.has(n));
      const results = await Promise.allSettled(here.map((n) => this.get(n).start()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    this.healthTimer ??= setInterval(() => void this.probeAll(), this.opts.healthIntervalMs ?? 2000);
    this.healthTimer.unref();
  }

  /**
   * From now on every exit is expected: nothing is restarted or reported as crashed, and a
   * start still running forks nothing more. Synchronous, so a signal handler can call it before
   * anything else: on Ctrl-C the whole process group gets SIGINT, and a child that exits on its
   * own before its turn must count as stopped, not crashed.
   */
  beginShutdown(): void {
    this.stopping = true;
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.healthTimer = null;
    for (const proc of this.procs.values()) proc.release();
  }

  /**
   * Stop in reverse order, so nothing loses its data service while it drains; data goes last.
   * The whole stop fits in `budgetMs`: a child that takes longer than its share is killed.
   */
  async stopAll(budgetMs = this.opts.stopTimeoutMs ?? 10_000): Promise<void> {
    this.beginShutdown();
    const deadline = Date.now() + budgetMs;
    for (const name of [...this.order].reverse()) {
      await this.get(name).stop(Math.max(MIN_STOP_SHARE_MS, deadline - Date.now()));
    }
    await this.forwarder?.close();
    await this.files?.close();
    await this.client.close();
    for (const d of this.disposables) d.dispose();
  }

  /** The forced stop (a second Ctrl-C): SIGKILL every child now and remove the sockets they leave. */
  killAll(): void {
    this.beginShutdown();
    for (const proc of this.procs.values()) proc.kill();
    const c = this.opts.config;
    if (!c.useSockets || process.platform === 'win32') return;
    for (const name of this.order) fs.rmSync(socketPathFor(name, c.socketDir), { force: true });
  }

  start(name: ServiceName): Promise<void> {
    return this.get(name).start();
  }
  stop(name: ServiceName): Promise<void> {
    return this.get(name).stop();
  }
  restart(name: ServiceName): Promise<void> {
    return this.get(name).restart();
  }

  has(name: ServiceName): boolean {
    return this.procs.has(name);
  }

  status(): SupervisorStatus {
    const processes = this.order.map((n) => this.get(n).status());
    const running = processes.filter((p) => p.state === 'running').length;
    const degraded = processes.some((p) => p.degraded);
    const overall = running === processes.length && !degraded ? 'healthy' : running === 0 ? 'down' : 'degraded';
    return { overall, processes };
  }

  recentLogs(limit = 500, filter: { service?: string; level?: string } = {}): LogRecord[] {
    const all = this.logs.last();
    const picked = all.filter(
      (r) => (!filter.service || r.service === filter.service) && (!filter.level || r.level === filter.level),
    );
    return picked.slice(-limit);
  }

  /** A line of the supervisor's own (who started, stopped or restarted what), into the same stream. */
  note(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    this.addLog({
      seq: ++this.seq,
      time: new Date().toISOString(),
      level,
      service: 'supervisor',
      msg,
      ...(fields ? { fields } : {}),
    });
  }

  private addLog(record: LogRecord): void {
    this.logs.push(record);
    this.logEmitter.fire(record);
    this.forwarder?.push(record);
    this.files?.write(record);
  }

  private isRunning(name: ServiceName): boolean {
    return this.procs.get(name)?.status().state === 'running';
  }

  private async probeAll(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.probe()));
  }

  /** One supervised process, for finer control than the by-name operations (tests, staged starts). */
  process(name: ServiceName): ManagedProcess {
    return this.get(name);
  }

  private get(name: ServiceName): ManagedProcess {
    const p = this.procs.get(name);
    if (!p) throw new Error(`${name} is not supervised here`);
    return p;
  }

  /** Everything a child needs to find its peers, passed explicitly rather than inherited. */
  private childConfigEnv(): Record<string, string> {
    const c = this.opts.config;
    const env: Record<string, string> = {
      INTERNAL_TOKEN: c.internalToken,
      SOCKET_DIR: c.socketDir,
      DATA_DIR: c.dataDir,
      USE_SOCKETS: String(c.useSockets),
      HOST: c.host,
      GATEWAY_PORT: String(c.gatewayPort),
      [START_GATE_ENV]: '1',
    };
    for (const [name, port] of Object.entries(c.ports)) env[PORT_ENV[name as ServiceName]] = String(port);
    return env;
  }
}
