import fs from 'node:fs';
import path from 'node:path';
import pinoRoll from 'pino-roll';
import type { LogRecord } from '../contracts/supervisor.js';

export interface LogFileOptions {
  /** DATA_DIR/logs */
  readonly dir: string;
  /** roll to a new file at this size (pino-roll's syntax: '10m') */
  readonly size?: string;
  /** files kept per service, the current one included */
  readonly count?: number;
}

interface RollStream {
  write(s: string): boolean;
  end(): void;
  once(event: 'close' | 'error', fn: () => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
}

/**
 * Every service's lines (already censored by the fan-in) also go to `<dir>/<service>.<n>.log`,
 * one JSON record per line, rotated by pino-roll at `size` with `count` files kept. Folder 0700,
 * files 0600: they hold usernames and addresses. They outlive restarts of the service, of
 * realtime and of the supervisor itself.
 */
export class LogFiles {
  private readonly streams = new Map<string, Promise<RollStream | null>>();
  private readonly pending = new Map<string, string[]>();
  private failed = false;

  constructor(private readonly opts: LogFileOptions) {}

  write(r: LogRecord): void {
    if (this.failed) return;
    const line = `${JSON.stringify(r)}\n`;
    let s = this.streams.get(r.service);
    if (!s) {
      s = this.open(r.service);
      this.streams.set(r.service, s);
      this.pending.set(r.service, []);
    }
    const queue = this.pending.get(r.service);
    // Until the file is open, lines wait in order; afterwards they are written at once.
    if (queue) queue.push(line);
    else void s.then((stream) => stream?.write(line));
  }

  private async open(service: string): Promise<RollStream | null> {
    try {
      fs.mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
      const stream = (await pinoRoll({
        file: path.join(this.opts.dir, service),
        extension: '.log',
        size: this.opts.size ?? '10m',
        limit: { count: Math.max(1, (this.opts.count ?? 5) - 1) },
        mode: 0o600,
        mkdir: true,
      })) as RollStream;
      stream.on('error', () => undefined); // a full disk must not take the supervisor down
      for (const line of this.pending.get(service) ?? []) stream.write(line);
      this.pending.delete(service);
      return stream;
    } catch (err) {
      this.failed = true;
      process.stderr.write(`supervisor: log files off: ${(err as Error).message}\n`);
      return null;
    }
  }

  async close(): Promise<void> {
    const streams = await Promise.all(this.streams.values());
    this.streams.clear();
    await Promise.all(
      streams.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s) return resolve();
            s.once('close', resolve);
            s.end();
          }),
      ),
    );
  }
}
