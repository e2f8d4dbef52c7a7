import { LOG_LEVELS, type LogLevel, type LogRecord } from '../../../contracts/supervisor.js';
import { Rooms, type LogEvent, type LogsBacklogPayload, type LogsFilterPayload } from '../../../contracts/realtime.js';
import type { RealtimeNamespace } from '../sockets/typed.js';

/**
 * /logs: every line goes to two rooms, `lvl:<level>` and `svc:<service>:<level>`. A socket's
 * filter is just the set of rooms it sits in (levels at or above its minimum, for one service
 * or all), so filtering costs nothing per line and per socket.
 */
export class LogStream {
  private readonly ring: LogEvent[] = [];
  private head = 0;

  constructor(
    private readonly nsp: RealtimeNamespace<'/logs'>,
    private readonly capacity: number,
  ) {}

  static toEvent(r: LogRecord): LogEvent {
    const e: LogEvent = { seq: r.seq, text: r.msg, level: r.level, service: r.service, timestamp: r.time };
    if (r.fields) e.fields = r.fields;
    return e;
  }

  ingest(lines: readonly LogRecord[]): void {
    for (const line of lines) {
      const e = LogStream.toEvent(line);
      this.remember(e);
      this.nsp.to([Rooms.logLevel(e.level), Rooms.logService(e.service, e.level)]).emit('log', e);
    }
  }

  private remember(e: LogEvent): void {
    if (this.capacity === 0) return;
    if (this.ring.length < this.capacity) this.ring.push(e);
    else {
      this.ring[this.head] = e;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  /** The last `limit` lines matching the filter, oldest first. */
  backlog(q: LogsBacklogPayload): LogEvent[] {
    const min = LOG_LEVELS.indexOf(q.level ?? 'trace');
    const limit = q.limit ?? 200;
    const out: LogEvent[] = [];
    const n = this.ring.length;
    for (let i = n - 1; i >= 0 && out.length < limit; i--) {
      const e = this.ring[(this.head + i) % n]!;
      if (q.service && e.service !== q.service) continue;
      if (LOG_LEVELS.indexOf(e.level) < min) continue;
      out.push(e);
    }
    return out.reverse();
  }

  static roomsFor(f: LogsFilterPayload): string[] {
    const levels: LogLevel[] = LOG_LEVELS.slice(LOG_LEVELS.indexOf(f.level ?? 'trace'));
    return levels.map((l) => (f.service ? Rooms.logService(f.service, l) : Rooms.logLevel(l)));
  }
}
