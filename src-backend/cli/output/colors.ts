import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour only for a person at a terminal: NO_COLOR (no-color.org) always wins, FORCE_COLOR
 * turns it on for a pipe, TERM=dumb and non-TTY output turn it off.
 */
export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function createColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
