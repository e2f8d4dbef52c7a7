import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_PORTS,
  GATEWAY_DEFAULT_PORT,
  PORT_ENV,
  SERVICE_NAMES,
  URL_ENV,
  type ServiceName,
} from '../contracts/services.js';

/** Everything a process reads from its environment, parsed once and frozen. */
export interface RuntimeConfig {
  readonly host: string;
  readonly useSockets: boolean;
  readonly socketDir: string;
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** `<NAME>_URL` overrides for multi-host deployments */
  readonly urls: Readonly<Partial<Record<ServiceName, string>>>;
  readonly dataDir: string;
  readonly internalToken: string;
  readonly gatewayPort: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Exit code for a start-up problem a restart cannot fix (sysexits' EX_CONFIG). */
export const EXIT_CONFIG = 78;

/** Linux's sun_path is 108 bytes including the NUL; macOS and the BSDs allow 104. */
export function maxSocketPathBytes(platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' ? 107 : 103;
}

export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  // XDG_RUNTIME_DIR is already private to the user; elsewhere make a per-user folder in tmp.
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'course-selection');
  const uid = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `course-selection-${uid}`);
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'course-selection');
}

export function socketPathFor(name: string, socketDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\course-selection-${name}`;
  const p = path.join(socketDir, `${name}.sock`);
  const bytes = Buffer.byteLength(p);
  if (bytes > maxSocketPathBytes(platform)) {
    throw new ConfigError(
      `socket path ${p} is ${bytes} bytes, over the OS limit of ${maxSocketPathBytes(platform)}: set SOCKET_DIR to a shorter folder`,
    );
  }
  return p;
}

function parsePort(raw: string | undefined, fallback: number, varName: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`${varName}=${raw} is not a port number (0-65535)`);
  }
  return n;
}

function parseBool(raw: string | undefined, fallback: boolean, varName: string): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${varName}=${raw} is not true or false`);
}

/** Shortest INTERNAL_TOKEN accepted: a guessable one would open every internal route. */
const MIN_TOKEN_LENGTH = 32;

function parseToken(raw: string | undefined): string {
  if (!raw) return '';
  if (raw.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `INTERNAL_TOKEN is ${raw.length} characters; it must be at least ${MIN_TOKEN_LENGTH} (it guards the internal routes)`,
    );
  }
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const ports = {} as Record<ServiceName, number>;
  const urls: Partial<Record<ServiceName, string>> = {};
  for (const name of SERVICE_NAMES) {
    ports[name] = parsePort(env[PORT_ENV[name]], DEFAULT_PORTS[name], PORT_ENV[name]);
    const url = env[URL_ENV[name]];
    if (url) {
      try {
        new URL(url);
      } catch {
        throw new ConfigError(`${URL_ENV[name]}=${url} is not a URL`);
      }
      urls[name] = url.replace(/\/+$/, '');
    }
  }
  return Object.freeze({
    host: env.HOST || '127.0.0.1',
    useSockets: parseBool(env.USE_SOCKETS, true, 'USE_SOCKETS'),
    socketDir: path.resolve(env.SOCKET_DIR || defaultSocketDir(env)),
    ports: Object.freeze(ports),
    urls: Object.freeze(urls),
    dataDir: path.resolve(env.DATA_DIR || defaultDataDir(env)),
    internalToken: parseToken(env.INTERNAL_TOKEN),
    gatewayPort: parsePort(env.GATEWAY_PORT, GATEWAY_DEFAULT_PORT, 'GATEWAY_PORT'),
  });
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
