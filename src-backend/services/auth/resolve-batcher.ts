/**
 * Coalesces lookups made in the same event-loop turn into one batched call. A registration
 * rush starts with thousands of first-time token resolves at once; batched, they cost one
 * data_node hop per turn instead of one each. Duplicate keys in a batch are asked once.
 */
export class Batcher<R> {
  private pending = new Map<string, { resolve: (r: R | null) => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;

  constructor(
    private readonly send: (keys: string[]) => Promise<(R | null)[]>,
    private readonly maxBatch = 500,
  ) {}

  load(key: string): Promise<R | null> {
    return new Promise((resolve, reject) => {
      let waiters = this.pending.get(key);
      if (!waiters) {
        waiters = [];
        this.pending.set(key, waiters);
      }
      waiters.push({ resolve, reject });
      if (this.pending.size >= this.maxBatch) {
        this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    this.send(keys).then(
      (results) => keys.forEach((k, i) => batch.get(k)!.forEach((w) => w.resolve(results[i] ?? null))),
      (err: unknown) => batch.forEach((ws) => ws.forEach((w) => w.reject(err))),
    );
  }
}
