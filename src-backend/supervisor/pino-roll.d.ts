// pino-roll 4 ships no types: the part of its API we use.
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';

  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: string | number;
    extension?: string;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    mode?: number;
    symlink?: boolean;
  }
  interface RollStream extends EventEmitter {
    write(s: string): boolean;
    end(): void;
  }
  export default function pinoRoll(opts: PinoRollOptions): Promise<RollStream>;
}
