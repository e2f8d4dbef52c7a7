import { SERVICE_LABELS, SERVICE_NAMES } from '../../contracts/services.js';
import type { ProcessState, SupervisorStatus } from '../../contracts/supervisor.js';
import { failure } from '../cli-error.js';
import { NOT_RUNNING } from '../connection/describe-error.js';
import { escapeControls } from '../output/escape.js';
import { NOT_BEHIND_URL, type HealthProbe } from '../connection/api.js';
import type { CliContext } from '../context.js';
import type { Colors } from '../output/colors.js';

export interface StatusOptions {
  json?: boolean;
}

/** One row of the status view, whichever source it came from. */
interface ProcessLine {
  readonly name: string;
  readonly label: string;
  readonly state: ProcessState | 'online' | 'down';
  readonly transport: string | null;
  readonly latencyMs: number | null;
  readonly pid: number | null;
  readonly restarts: number | null;
  readonly note: string | null;
}

export async function status(ctx: CliContext, opts: StatusOptions): Promise<void> {
  const token = readTokenQuietly(ctx);
  const api = await ctx.api();
  const sup = await api.supervisorStatus(token);
  const source = sup.kind === 'status' ? 'supervisor' : 'health probes';
  const lines =
    sup.kind === 'status'
      ? fromSupervisor(sup.status)
      : // a --url that is one service only shows that one
        fromProbes(
          (await Promise.all(SERVICE_NAMES.map((s) => api.health(s)))).filter((p) => p.problem !== NOT_BEHIND_URL),
        );
  const up = lines.filter((l) => l.state === 'running' || l.state === 'online').length;

  if (opts.json) {
    ctx.out(JSON.stringify({ source, target: ctx.target, up, total: lines.length, processes: lines }, null, 2));
  } else {
    printLines(ctx, lines, `${source}, ${ctx.target === 'local' ? 'local sockets' : ctx.target}`);
  }
  if (up === 0) throw failure(ctx.target === 'local' ? NOT_RUNNING : `nothing answers at ${ctx.target}`);
  if (up < lines.length) throw failure(`${lines.length - up} of ${lines.length} processes are not running`);
}

/** status works without a session; a broken or expired one just means no supervisor view. */
function readTokenQuietly(ctx: CliContext): string | undefined {
  try {
    const s = ctx.store.read();
    if (!s || Date.parse(s.expiresAt) <= Date.now() || s.target !== ctx.target) return undefined;
    return s.token;
  } catch {
    return undefined;
  }
}

function fromSupervisor(status: SupervisorStatus): ProcessLine[] {
  return status.processes.map((p) => ({
    name: p.name,
    label: SERVICE_LABELS[p.name],
    state: p.state,
    transport: p.transport,
    latencyMs: p.healthLatencyMs,
    pid: p.pid,
    restarts: p.restarts,
    note: p.lastError,
  }));
}

function fromProbes(probes: readonly HealthProbe[]): ProcessLine[] {
  return probes.map((p) => ({
    name: p.service,
    label: SERVICE_LABELS[p.service],
    state: p.ok ? 'online' : 'down',
    transport: p.transport,
    latencyMs: p.latencyMs,
    pid: null,
    restarts: null,
    note: p.problem,
  }));
}

/**
 * The shape cli/README.md documents, `● Data Node: online`, with the details after it in
 * parentheses:
 * `● Data Node: online  (unix, 0.4 ms, pid 4242, 1 restart)`. Details line up in one column.
 */
function printLines(ctx: CliContext, lines: readonly ProcessLine[], source: string): void {
  const c = ctx.colors;
  ctx.out('System Status:');
  const heads = lines.map((l) => `${l.label}: ${l.state}`);
  const width = Math.max(...heads.map((h) => h.length));
  lines.forEach((l, i) => {
    const details = [
      l.transport,
      formatLatency(l.latencyMs),
      l.pid ? `pid ${l.pid}` : null,
      formatRestarts(l.restarts),
      l.note,
    ]
      .filter(Boolean)
      .join(', ');
    // l.note is a process's last error: any text a child printed
    const shown = escapeControls(details);
    ctx.out(`  ${dot(c, l.state)} ${shown ? `${heads[i]!.padEnd(width)}  (${shown})` : heads[i]}`);
  });
  ctx.out(c.dim(`Source: ${source}`));
}

function formatLatency(ms: number | null): string | null {
  if (ms === null) return null;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

function formatRestarts(n: number | null): string | null {
  return n ? `${n} restart${n === 1 ? '' : 's'}` : null;
}

function dot(c: Colors, state: ProcessLine['state']): string {
  if (state === 'running' || state === 'online') return c.green('●');
  if (state === 'starting' || state === 'restarting' || state === 'stopping') return c.yellow('●');
  return c.red('●');
}
