/** Thrown at a caller whose item was pushed out of a full queue (`maxQueued`). */
export class BatchOverflowError extends Error {
  constructor() {
    super('dropped: too many items waiting for a batch');
    this.name = 'BatchOverflowError';
  }
}

export interface MicroBatcherOptions<T, R> {
  /**
   * how long the first item of a batch waits for company, in ms; 0 means until the end of the
   * current event-loop turn (setImmediate), so lookups made by one burst of I/O go together
   */
  readonly windowMs: number;
  /** items per call at most; a full batch is sent at once, without waiting for the window */
  readonly maxBatch: number;
  /**
   * calls out at once (default: no limit). While they are all out, new items wait and go in the
   * next call, so batches grow with the load instead of staying a few items each.
   */
  readonly maxInFlight?: number;
  /** items with the same key waiting for the same call are sent once; every caller gets the answer */
  readonly key?: (item: T) => string;
  /**
   * false (default): what queued while every call was out goes as soon as one returns, so batches
   * grow with the call latency (group commit). true: it still waits for its window, a steady
   * cadence however fast calls return (log lines).
   */
  readonly paced?: boolean;
  /** items waiting at most (default: no limit); beyond it the oldest is dropped */
  readonly maxQueued?: number;
  /**
   * Sends one batch. Answers one result per item, in order (or nothing, when nobody needs an
   * answer); a rejection fails every caller in the batch.
   */
  readonly send: (items: T[]) => Promise<readonly R[] | void>;
}

interface Waiter<R> {
  readonly resolve: (r: R) => void;
  readonly reject: (e: unknown) => void;
}

interface Entry<T, R> {
  readonly item: T;
  readonly key: string | undefined;
  readonly waiters: Array<Waiter<R>>;
}

/**
 * Collects items for a short window and sends them as one call: a rush of thousands of
 * lookups, submissions or events becomes a few calls, not one hop each. The one place that
 * owns the buffer, the timer, the cap on calls in flight and the de-duplication; callers only
 * say how to send a batch.
 */
export class MicroBatcher<T, R = void> {
  private queue: Array<Entry<T, R>> = [];
  private readonly byKey = new Map<string, Entry<T, R>>();
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private calls = 0;
  /** when the oldest waiting item arrived: its window runs from then */
  private oldestAt = 0;
  private draining = false;
  private idle: Array<() => void> = [];
  private readonly maxInFlight: number;
  private readonly maxQueued: number;

  constructor(private readonly opts: MicroBatcherOptions<T, R>) {
    if (!(opts.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
    this.maxInFlight = opts.maxInFlight ?? Infinity;
    this.maxQueued = opts.maxQueued ?? Infinity;
  }

  /** Items waiting for a call. */
  get queued(): number {
    return this.queue.length;
  }

  /** Calls out now. */
  get inFlight(): number {
    return this.calls;
  }

  /** Queue an item and get its own result once its batch is answered. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => this.add(item, { resolve, reject }));
  }

  /** Queue an item whose answer nobody waits for (events, log lines). */
  push(item: T): void {
    this.add(item, null);
  }

  /** Send what waits now, as far as maxInFlight allows; the rest goes as calls return. */
  flush(): void {
    this.clearTimer();
    while (this.queue.length > 0 && this.calls < this.maxInFlight) {
      const batch = this.queue.length <= this.opts.maxBatch ? this.queue : this.queue.slice(0, this.opts.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
      for (const e of batch) if (e.key !== undefined) this.byKey.delete(e.key);
      this.calls++;
      void this.send(batch).finally(() => this.returned());
    }
  }

  /**
   * A call came back. What queued meanwhile goes now; when `paced`, only if its window has
   * passed (it may have waited for a free call), else when its window closes.
   */
  private returned(): void {
    this.calls--;
    if (this.queue.length === 0) {
      if (this.calls === 0) {
        this.draining = false;
        for (const done of this.idle.splice(0)) done();
      }
      return;
    }
    const waited = Date.now() - this.oldestAt;
    if (!this.opts.paced || this.draining || this.queue.length >= this.opts.maxBatch || waited >= this.opts.windowMs)
      this.flush();
    else if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.opts.windowMs - waited);
  }

  /** Send everything that waits and resolve once no call is out (shutdown, tests). */
  drain(): Promise<void> {
    this.draining = true;
    this.flush();
    if (this.calls === 0 && this.queue.length === 0) {
      this.draining = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Forget what waits without sending it (its callers are rejected) and stop the timer. */
  discard(reason: unknown = new Error('batcher closed')): void {
    this.clearTimer();
    const dropped = this.queue;
    this.queue = [];
    this.byKey.clear();
    for (const e of dropped) for (const w of e.waiters) w.reject(reason);
  }

  private add(item: T, waiter: Waiter<R> | null): void {
    const key = this.opts.key?.(item);
    const same = key === undefined ? undefined : this.byKey.get(key);
    if (same) {
      if (waiter) same.waiters.push(waiter);
      return;
    }
    if (this.queue.length >= this.maxQueued) {
      const oldest = this.queue.shift()!;
      if (oldest.key !== undefined) this.byKey.delete(oldest.key);
      for (const w of oldest.waiters) w.reject(new BatchOverflowError());
    }
    const entry: Entry<T, R> = { item, key, waiters: waiter ? [waiter] : [] };
    if (this.queue.length === 0) this.oldestAt = Date.now();
    this.queue.push(entry);
    if (key !== undefined) this.byKey.set(key, entry);
    if (this.queue.length >= this.opts.maxBatch) this.flush();
    else if (this.timer === null) {
      this.timer =
        this.opts.windowMs > 0 ? setTimeout(() => this.flush(), this.opts.windowMs) : setImmediate(() => this.flush());
    }
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    if (this.opts.windowMs > 0) clearTimeout(this.timer as NodeJS.Timeout);
    else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  private async send(batch: Array<Entry<T, R>>): Promise<void> {
    let results: readonly R[] | void;
    try {
      results = await this.opts.send(batch.map((e) => e.item));
      if (results !== undefined && results.length !== batch.length)
        throw new Error(`a batch of ${batch.length} was answered with ${results.length} results`);
    } catch (err) {
      for (const e of batch) for (const w of e.waiters) w.reject(err);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const r = results === undefined ? (undefined as R) : results[i]!;
      for (const w of batch[i]!.waiters) w.resolve(r);
    }
  }
}
