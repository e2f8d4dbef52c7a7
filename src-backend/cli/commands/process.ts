import type { Command } from 'commander';
import { isServiceName, SERVICE_NAMES, type ServiceName } from '../../contracts/services.js';
import type { ProcessOp } from '../../contracts/supervisor.js';
import { usageError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { examples } from './help-text.js';
import type { ProcessOpOptions } from '../actions/process-op.js';

// contracts/services.ts imports nothing, so --help and usage errors still load nothing heavy.
const PROCESS_NAMES = SERVICE_NAMES;

const isProcessName = (s: string): s is ServiceName => isServiceName(s);

const OPS: readonly { op: ProcessOp; what: string }[] = [
  { op: 'start', what: 'start a stopped or errored process and wait until it is running and healthy' },
  { op: 'stop', what: 'stop a process gracefully (killed after the deadline); it stays stopped' },
  { op: 'restart', what: 'stop a process, then start it again and wait until it is healthy' },
];

export function registerProcess(program: Command, ctx: CliContext): void {
  const group = program
    .command('process')
    .description('start, stop or restart one supervised process (needs npm run server and an admin session)');
  group.addHelpText(
    'after',
    examples(
      'course-cli process restart queue_node',
      'course-cli process stop realtime',
      'course-cli process start realtime',
    ),
  );
  for (const { op, what } of OPS) {
    group
      .command(op)
      .description(what)
      .argument('<name>', `the process: ${PROCESS_NAMES.join(', ')}`)
      .option('--json', "print the process's status afterwards as JSON")
      .addHelpText(
        'after',
        examples(
          `course-cli process ${op} queue_node`,
          `course-cli --url http://127.0.0.1:8000 process ${op} realtime`,
        ) +
          '\nThe supervisor lives in npm run server; the CLI reaches it through the gateway\n' +
          '($SOCKET_DIR/gateway.sock, else GATEWAY_PORT). Sign in first: course-cli user login.\n',
      )
      .action(async (name: string, opts: ProcessOpOptions) => {
        if (!isProcessName(name))
          throw usageError(`unknown process ${JSON.stringify(name)}: use one of ${PROCESS_NAMES.join(', ')}`);
        await (await import('../actions/process-op.js')).processOp(ctx, op, name, opts);
      });
  }
}
