import type { ServiceName } from '../contracts/services.js';
import type { SessionForgetRequest } from '../contracts/session.js';
import type { ProcessState, ProcessStatus } from '../contracts/supervisor.js';
import type { ServiceClient } from '../shared/service-client.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { Emitter } from './event.js';
import { HealthMonitor } from './health-monitor.js';
import { transition } from './process-states.js';
import type { ChildHandle, ExitInfo, OutputLine, ProcessHost, ProcessSpec } from './process-host.js';
import { healthRoute } from '../contracts/routes/shared.js';

/** How long a lone stop request waits before it is granted (a group signal reaches us within it). */
const STOP_REQUEST_SETTLE_MS = 100;

export interface ManagedProcessOptions {
  readonly name: ServiceName;
  readonly spec: ProcessSpec;
  readonly host: ProcessHost;
  readonly client: ServiceClient;
  readonly backoff: BackoffOptions;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** consecutive failed health checks before a running process is presumed hung and restarted */
  readonly maxHealthFailures: number;
}

export interface CrashInfo {
  readonly name: ServiceName;
  readonly exit: ExitInfo;
  readonly uptimeMs: number;
  /** delay before the restart, or null when the supervisor gave up */
  readonly restartInMs: number | null;
}

/**
 * One supervised service: spawn, ready handshake, health, crash → restart with backoff. Every
 * state change goes through setState(), which follows PROCESS_TRANSITIONS (process-states.ts).
 */
export class ManagedProcess {
  private state: ProcessState = 'stopped';
  private child: ChildHandle | null = null;
  private wanted = false;
  private readyAt = 0;
  private restarts = 0;
  private lastError: string | null = null;
  private fatal: string | null = null;
  private port: number | null = null;
  private readonly health: HealthMonitor;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private settleWaiters: Array<(s: ProcessState) => void> = [];
  private loadedWaiters: Array<() => void> = [];
  /** preloaded: forked and loading its code, but kept at the start gate until start() */
  private held = false;
  private openGate: (() => void) | null = null;

  private readonly statusEmitter = new Emitter<ProcessStatus>();
  private readonly outputEmitter = new Emitter<OutputLine>();
  private readonly crashEmitter = new Emitter<CrashInfo>();
  private readonly sessionForgetEmitter = new Emitter<SessionForgetRequest>();
  readonly onStatus = this.statusEmitter.event;
  readonly onOutput = this.outputEmitter.event;
  readonly onCrash = this.crashEmitter.event;
  /** the child reports sessions it ended (only auth_node's reports are believed, by the supervisor) */
  readonly onSessionForget = this.sessionForgetEmitter.event;

  constructor(private readonly opts: ManagedProcessOptions) {
    this.backoff = new Backoff(opts.backoff);
    this.health = new HealthMonitor(
      (timeoutMs) => opts.client.callRaw(healthRoute(opts.name), { timeoutMs }),
      opts.maxHealthFailures,
    );
  }

  get name(): ServiceName {
    return this.opts.name;
  }

  status(): ProcessStatus {
    const h = this.health.reading();
    return {
      name: this.opts.name,
      state: this.state,
      pid: this.child?.pid ?? null,
      uptimeMs: this.state === 'running' ? Date.now() - this.readyAt : 0,
      restarts: this.restarts,
      rssBytes: this.state === 'running' ? h.rssBytes : null,
      healthLatencyMs: this.state === 'running' ? h.latencyMs : null,
      transport: this.state === 'running' ? h.transport : null,
      port: this.port,
      lastError: this.lastError,
      ...(this.state === 'running' && h.degradedReason ? { degraded: h.degradedReason } : {}),
    };
  }

  /**
   * Fork now so the code loads while other processes start, but keep the child at its start gate
   * (it neither opens its database nor listens) until start() is called.
   */
  preload(): void {
    if (this.state !== 'stopped' || this.child) return;
    this.wanted = true;
    this.fatal = null;
    this.backoff.reset();
    this.held = true;
    this.launch();
  }

  /**
   * Resolves once the current child has loaded its code (said 'loaded' or 'ready'), or the
   * process settled without it: a start-up order hint, never a failure.
   */
  codeLoaded(): Promise<void> {
    return new Promise((resolve) => this.loadedWaiters.push(resolve));
  }

  /** Start and resolve once it is running, or reject when it settles as errored/stopped. */
  async start(): Promise<void> {
    // stopping leads only to stopped: a start asked for meanwhile begins once the stop is done
    if (this.state === 'stopping') await new Promise<void>((resolve) => this.settleWaiters.push(() => resolve()));
    if (this.held) {
      this.held = false;
      this.openGate?.();
    }
    if (this.state === 'running' || this.state === 'starting') return this.expectRunning();
    this.wanted = true;
    this.fatal = null;
    this.backoff.reset();
    if (this.state !== 'restarting') this.launch();
    return this.expectRunning();
  }

  /** From now on an exit is expected (shutdown has begun): never a crash, never restarted. */
  release(): void {
    this.wanted = false;
    this.held = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  /** Ask the child to stop and wait for it; past `timeoutMs` it is killed. Never a crash. */
  async stop(timeoutMs = this.opts.stopTimeoutMs): Promise<void> {
    this.release();
    const child = this.child;
    if (child && !child.exited) {
      this.setState('stopping');
      child.postMessage({ type: 'shutdown' }); // Windows has no SIGTERM
      if (process.platform !== 'win32') child.kill('SIGTERM');
      await child.waitForExit(timeoutMs);
    }
    // a start() that waited for this stop may have launched a new child meanwhile: that one stays
    if (this.child === null) this.setState('stopped');
  }

  /** The forced stop (a second Ctrl-C): SIGKILL now, without waiting. */
  kill(): void {
    this.release();
    const child = this.child;
    if (child && !child.exited) {
      this.setState('stopping');
      child.kill('SIGKILL');
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    this.restarts++;
    await this.start();
  }

  /** One health probe; the supervisor calls this on an interval. */
  async probe(): Promise<void> {
    const child = this.child;
    if (this.state !== 'running' || !child?.pid) return;
    const verdict = await this.health.probe(child.pid);
    if (verdict === 'hung' && child === this.child && this.state === 'running') {
      this.lastError = `health check failed ${this.health.consecutiveFailures} times; restarting`;
      child.kill('SIGKILL');
    }
  }

  private launch(): void {
    this.restartTimer = null;
    if (!this.wanted) return;
    if (this.state !== 'restarting') this.setState('starting');
    const child = this.opts.host.fork(this.opts.spec);
    this.child = child;
    this.health.reset();
    let ready = false;
    let loaded = false;
    let gateOpen = !this.held;
    // The ready deadline runs from the moment the child may start, not while it waits at the gate.
    let readyTimer: NodeJS.Timeout | undefined;
    const armReadyTimer = () => {
      readyTimer ??= setTimeout(() => {
        if (!ready && this.child === child) {
          this.lastError = `did not become ready within ${this.opts.readyTimeoutMs} ms`;
          child.kill('SIGKILL');
        }
      }, this.opts.readyTimeoutMs);
    };
    if (gateOpen) armReadyTimer();
    this.openGate = () => {
      if (this.child !== child || gateOpen) return;
      gateOpen = true;
      armReadyTimer();
      if (loaded) child.postMessage({ type: 'start' });
    };

    child.onOutput((line) => this.outputEmitter.fire(line));
    child.onMessage((msg) => {
      if (msg.type === 'fatal') {
        this.fatal = msg.message;
      } else if (msg.type === 'loaded') {
        loaded = true;
        if (gateOpen) child.postMessage({ type: 'start' });
        this.wakeLoaded();
      } else if (msg.type === 'stop-requested') {
        this.onStopRequested(child);
      } else if (msg.type === 'session-forget') {
        this.sessionForgetEmitter.fire(msg.forget);
      } else if (msg.type === 'ready' && !ready) {
        ready = true;
        this.wakeLoaded();
        clearTimeout(readyTimer);
        this.port = msg.http.port;
        this.opts.client.refresh(this.opts.name);
        void this.confirmHealthy(child);
      }
    });
    child.onExit((info) => {
      clearTimeout(readyTimer);
      this.onChildExit(child, info);
    });
  }

  /** The handshake says it listens; /health over the socket proves it answers. */
  private async confirmHealthy(child: ChildHandle): Promise<void> {
    const deadline = Date.now() + this.opts.readyTimeoutMs;
    while (this.child === child && !child.exited) {
      if (await this.health.check(1000)) {
        // released or being stopped meanwhile: it is on its way out, not running
        if (this.child !== child || !this.wanted || this.state === 'stopping') return;
        this.readyAt = Date.now();
        this.lastError = null;
        this.setState('running');
        return;
      }
      if (Date.now() > deadline) {
        this.lastError = 'ready, but /health never answered';
        child.kill('SIGKILL');
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * The child got a stop signal. When shutdown has begun (the signal went to the whole group),
   * its turn comes in stopAll. Otherwise it was sent to this child alone: let it go after a
   * moment, in case our own copy of a group signal is still on its way.
   */
  private onStopRequested(child: ChildHandle): void {
    if (!this.wanted) return;
    setTimeout(() => {
      if (this.wanted && this.child === child) child.postMessage({ type: 'shutdown' });
    }, STOP_REQUEST_SETTLE_MS).unref();
  }

  private onChildExit(child: ChildHandle, exit: ExitInfo): void {
    if (child !== this.child) return;
    this.child = null;
    // Stopped by us, or released because shutdown began (a Ctrl-C reaches every child too).
    if (!this.wanted || this.state === 'stopping') {
      this.setState('stopped');
      return;
    }
    if (this.fatal) {
      // A configuration problem: restarting would only repeat it.
      this.wanted = false;
      this.lastError = this.fatal;
      this.setState('errored');
      return;
    }
    const uptimeMs = this.state === 'running' ? Date.now() - this.readyAt : 0;
    // A service exits 0 only when it shut down as asked: someone stopped it outside the
    // supervisor (a signal to it alone). Not a crash; it is still wanted, so it comes back.
    const stoppedOutside = exit.code === 0 && exit.signal === null;
    if (stoppedOutside) this.lastError = 'stopped outside the supervisor (exit code 0)';
    else if (this.state === 'running' || !this.lastError) {
      this.lastError = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    }
    const delay = this.backoff.nextDelay(uptimeMs);
    if (!stoppedOutside) this.crashEmitter.fire({ name: this.opts.name, exit, uptimeMs, restartInMs: delay });
    if (delay === null) {
      this.wanted = false;
      this.lastError = `${stoppedOutside ? 'exited' : 'crashed'} ${this.backoff.unstableRestarts} times in a row (${this.lastError}); gave up`;
      this.setState('errored');
      return;
    }
    this.restarts++;
    this.setState('restarting');
    this.restartTimer = setTimeout(() => this.launch(), delay);
  }

  private wakeLoaded(): void {
    const waiters = this.loadedWaiters;
    this.loadedWaiters = [];
    for (const w of waiters) w();
  }

  /** The one place the state changes; a change PROCESS_TRANSITIONS does not allow throws. */
  private setState(state: ProcessState): void {
    const changed = state !== this.state;
    this.state = transition(this.state, state);
    if (changed) this.statusEmitter.fire(this.status());
    if (state === 'running' || state === 'errored' || state === 'stopped') {
      this.wakeLoaded();
      const waiters = this.settleWaiters;
      this.settleWaiters = [];
      for (const w of waiters) w(state);
    }
  }

  private expectRunning(): Promise<void> {
    if (this.state === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.settleWaiters.push((s) =>
        s === 'running' ? resolve() : reject(new Error(`${this.opts.name}: ${this.lastError ?? s}`)),
      );
    });
  }
}
