import { SERVICE_LABELS, type ServiceName } from '../../contracts/services.js';
import type { ProcessOp, ProcessStatus } from '../../contracts/supervisor.js';
import { failure } from '../cli-error.js';
import { responseError, serverMessage, transportError } from '../connection/describe-error.js';
import type { CliContext } from '../context.js';

export interface ProcessOpOptions {
  json?: boolean;
}

const PAST: Record<ProcessOp, string> = { start: 'started', stop: 'stopped', restart: 'restarted' };

/** One supervisor operation through the gateway, as the console's Status view does it. */
export async function processOp(
  ctx: CliContext,
  op: ProcessOp,
  name: ServiceName,
  opts: ProcessOpOptions,
): Promise<void> {
  const session = ctx.requireSession();
  let res;
  try {
    res = await (await ctx.api()).supervisorOp(session.token, name, op);
  } catch (err) {
    throw transportError(err, ctx.target) ?? err;
  }
  const reason = () => serverMessage(res.body, `the gateway answered HTTP ${res.statusCode}`).message;
  if (res.statusCode === 409) throw failure(`${op} ${name} failed: ${reason()}`);
  // 503: the gateway is draining, or cannot check the session because auth_node is down
  if (res.statusCode === 503) throw failure(`cannot ${op} ${name}: ${reason()}`);
  if (res.statusCode !== 200) throw responseError(name, res.statusCode, res.body);
  const p = res.body as ProcessStatus;
  if (opts.json) return ctx.out(JSON.stringify(p, null, 2));
  const c = ctx.colors;
  const after = op === 'stop' ? '' : `: ${p.state}${p.pid ? `, pid ${p.pid}` : ''}`;
  ctx.out(`${c.green('✔')} ${SERVICE_LABELS[name]} (${name}) ${PAST[op]}${after}`);
  // The gateway checks admin sessions through auth_node (which reads them from data_node); while
  // either is down only sessions it confirmed in the last 10 minutes may use the supervisor.
  if (op === 'stop' && (name === 'auth_node' || name === 'data_node'))
    ctx.note(
      c.yellow(
        `! sign-ins and the console's other views need ${name}; this session may still run process commands for 10 minutes (process start ${name})`,
      ),
    );
}
