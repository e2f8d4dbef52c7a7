import type { ProcessStatus } from '@contracts/supervisor';
import { SERVICE_NAMES } from '@contracts/services';

/** A running process as the supervisor reports it, for view and store tests. */
export const runningProcess = (name: ProcessStatus['name'], over: Partial<ProcessStatus> = {}): ProcessStatus => ({
  name,
  state: 'running',
  pid: 100 + SERVICE_NAMES.indexOf(name),
  uptimeMs: 5000,
  restarts: 0,
  rssBytes: 50_000_000,
  healthLatencyMs: 1.5,
  transport: 'unix',
  port: 8000,
  lastError: null,
  ...over,
});
