import type { ProcessStatus } from '../contracts/supervisor.js';

export type TrayIcon = 'healthy' | 'degraded' | 'down';

export interface TrayHealth {
  readonly icon: TrayIcon;
  readonly tooltip: string;
}

const MAX_NAMED = 3;

/**
 * The tray's colour and tooltip from the process list: green when all run, red when none do,
 * amber otherwise, with the ones that are not running named (a tooltip is short, so at most 3).
 */
export function trayHealth(processes: readonly ProcessStatus[]): TrayHealth {
  const running = processes.filter((p) => p.state === 'running').length;
  const total = processes.length;
  const icon: TrayIcon = total > 0 && running === total ? 'healthy' : running === 0 ? 'down' : 'degraded';
  const others = processes.filter((p) => p.state !== 'running').map((p) => `${p.name} ${p.state}`);
  const named =
    others.length > MAX_NAMED ? [...others.slice(0, MAX_NAMED), `${others.length - MAX_NAMED} more`] : others;
  const detail = named.length ? `; ${named.join(', ')}` : '';
  return { icon, tooltip: `Course Selection Console: ${icon} (${running}/${total} running${detail})` };
}
