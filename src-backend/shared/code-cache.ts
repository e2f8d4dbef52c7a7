import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { ConfigError, EXIT_CONFIG } from './config.js';
import { assertSafeAncestors } from './folder-ancestry.js';
import { getParentChannel } from './parent-channel.js';
import type { ServiceName } from '../contracts/services.js';

/**
 * A V8 code cache for the services. Most of a service's start was V8 compiling its code
 * (fastify, pino, undici, socket.io…), and Node 20 has no compile cache for ES modules. So the
 * build also emits the services as CommonJS (out/main/<name>.cjs and chunks/*.cjs), and
 * out/main/<name>.js, the file the supervisor forks, runs them through vm.Script with
 * `cachedData`. The cache is written once the service is ready, so it also holds the functions
 * start-up compiled lazily.
 *
 * A cache is only ever an optimisation: missing, unreadable, corrupt, stale or rejected by V8
 * (another Node or Electron, other V8 flags) means compiling from source, and a fresh cache is
 * written once the service is ready.
 */

/** Emitted on `process` by runService right after the ready message: the moment to save the cache. */
export const SERVICE_READY_EVENT = 'course-selection:service-ready';
/** `off` (or 0/false/no) switches the cache off. */
export const CODE_CACHE_ENV = 'CSC_CODE_CACHE';
/** The folder for the cache files; default: a private folder in the OS temp dir. */
export const CODE_CACHE_DIR_ENV = 'CSC_CODE_CACHE_DIR';

/** Where the caches live, or null when switched off. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (/^(0|off|false|no)$/i.test(env[CODE_CACHE_ENV] ?? '')) return null;
  if (env[CODE_CACHE_DIR_ENV]) return path.resolve(env[CODE_CACHE_DIR_ENV]);
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `course-selection-code-cache-${user}`);
}

/**
 * Cached code runs as ours, so the folder must be ours alone: a real folder (not a symlink),
 * owned by this user, writable by nobody else. Created (0700) when `create` and missing.
 */
export function isPrivateDir(dir: string, create = false): boolean {
  try {
    if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (process.platform === 'win32') return true; // a per-user folder; no POSIX modes to check
    const uid = process.getuid?.();
    return (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * One cache file per entry, build folder and runtime (Node or Electron, its V8, the CPU, the
 * flags: V8 refuses a cache made under other flags), so checkouts and runtimes side by side do
 * not keep overwriting each other's.
 */
export function cacheFileFor(entry: string, dir: string): string {
  const runtime = [entry, process.version, process.versions.v8, process.arch, process.execPath, ...process.execArgv];
  const key = createHash('sha256').update(runtime.join('\0')).digest('hex').slice(0, 16);
  return path.join(dir, `${path.basename(entry, '.cjs')}-${key}.v8cache`);
}

/**
 * The cache file: sha256(rest) · u32 header length · header JSON · the payloads in header order.
 * Each entry is one module file of the bundle, named relative to the entry's folder, with the
 * hash of the source it was compiled from.
 */
interface CacheEntry {
  readonly file: string;
  readonly source: string;
  readonly size: number;
}
const SUM_BYTES = 32;

function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

export function encodeCache(entries: ReadonlyArray<{ file: string; source: string; data: Buffer }>): Buffer {
  const header = Buffer.from(
    JSON.stringify(entries.map((e): CacheEntry => ({ file: e.file, source: e.source, size: e.data.length }))),
  );
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const rest = Buffer.concat([len, header, ...entries.map((e) => e.data)]);
  return Buffer.concat([sha256(rest), rest]);
}

/** The payloads by `file\0source`, or null when the file is not a whole, intact cache. */
export function decodeCache(raw: Buffer): Map<string, Buffer> | null {
  if (raw.length < SUM_BYTES + 4) return null;
  const rest = raw.subarray(SUM_BYTES);
  if (!sha256(rest).equals(raw.subarray(0, SUM_BYTES))) return null;
  try {
    const headerLen = rest.readUInt32LE(0);
    const entries = JSON.parse(rest.subarray(4, 4 + headerLen).toString('utf8')) as CacheEntry[];
    const out = new Map<string, Buffer>();
    let at = 4 + headerLen;
    for (const e of entries) {
      out.set(`${e.file}\0${e.source}`, rest.subarray(at, at + e.size));
      at += e.size;
    }
    return at === rest.length ? out : null;
  } catch {
    return null;
  }
}

export type ModuleCacheState = 'disabled' | 'missing' | 'rejected' | 'accepted';

export interface BundleRun {
  /** the entry's module.exports */
  readonly exports: unknown;
  /** the cache file read and written, or null when caching is off */
  readonly cacheFile: string | null;
  /** how each module file (relative to the entry's folder) met its cache */
  readonly modules: ReadonlyMap<string, ModuleCacheState>;
  /** true when caching is on and some module did not come from the cache */
  readonly needsSave: boolean;
  /** Write the cache from what V8 has compiled so far. False if it could not. */
  saveCache(): boolean;
}

interface LoadedModule {
  readonly script: vm.Script;
  readonly source: string;
  readonly module: { exports: unknown };
}

/** import() inside the bundle resolves as in any module of ours (none does today); a guard for older runtimes. */
const dynamicImport: typeof vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER | undefined =
  vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/**
 * Run a CommonJS bundle: the entry and the chunks it requires by relative path (`./chunks/x.cjs`)
 * are compiled here with their cache; everything else (node: built-ins, native addons) goes to
 * Node's own require. Reading the bundle must work; anything wrong with the cache only costs
 * the compile time it would have saved.
 */
export function runBundle(entry: string, cacheFile: string | null): BundleRun {
  const root = path.dirname(entry);
  let cached: Map<string, Buffer> | null = null;
  if (cacheFile && isPrivateDir(path.dirname(cacheFile))) {
    try {
      cached = decodeCache(fs.readFileSync(cacheFile));
    } catch {
      // no cache yet
    }
  }
  const loaded = new Map<string, LoadedModule>();
  const states = new Map<string, ModuleCacheState>();

  const load = (file: string): unknown => {
    const rel = path.relative(root, file);
    const done = loaded.get(rel);
    if (done) return done.module.exports; // a cycle gets the exports so far, as in Node
    const bytes = fs.readFileSync(file);
    const source = sha256(bytes).toString('hex');
    const text = bytes.toString('utf8');
    const cachedData = cached?.get(`${rel}\0${source}`);
    // Node's own CommonJS wrapper, on the first line so line numbers hold.
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, {
      filename: file,
      cachedData,
      ...(dynamicImport === undefined ? {} : { importModuleDynamically: dynamicImport }),
    });
    states.set(
      rel,
      !cacheFile ? 'disabled' : !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted',
    );
    const module = { id: file, filename: file, path: path.dirname(file), exports: {} as unknown, loaded: false };
    loaded.set(rel, { script, source, module });
    const nodeRequire = createRequire(file);
    const require = Object.assign(
      (id: string): unknown =>
        /^\.\.?\//.test(id) && id.endsWith('.cjs') ? load(path.resolve(path.dirname(file), id)) : nodeRequire(id),
      { resolve: nodeRequire.resolve, cache: nodeRequire.cache, main: nodeRequire.main },
    );
    const fn = script.runInThisContext() as (...args: unknown[]) => void;
    fn.call(module.exports, module.exports, require, module, file, path.dirname(file));
    module.loaded = true;
    return module.exports;
  };

  const exports = load(entry);
  cached = null; // every chunk is required at the top of a module: all are in by now
  return {
    exports,
    cacheFile,
    modules: states,
    needsSave: cacheFile !== null && [...states.values()].some((s) => s !== 'accepted'),
    saveCache() {
      if (!cacheFile) return false;
      try {
        const entries = [...loaded].map(([file, m]) => ({ file, source: m.source, data: m.script.createCachedData() }));
        return writeAtomically(cacheFile, encodeCache(entries));
      } catch {
        return false;
      }
    },
  };
}

/** A reader sees the old file, the new one, or none; never half of one. */
function writeAtomically(file: string, data: Buffer): boolean {
  if (!isPrivateDir(path.dirname(file), true)) return false;
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}

/**
 * The body of out/main/<name>.js: run <name>.cjs from the same folder and, unless all of it came
 * from the cache, save a cache once the service is ready (after its ready message is on its way).
 */
export function startServiceBundle(name: string, entryUrl: string): void {
  const entry = path.join(path.dirname(fileURLToPath(entryUrl)), `${name}.cjs`);
  const dir = codeCacheDir();
  if (dir) refuseUnsafeCacheDir(name, dir);
  const run = runBundle(entry, dir ? cacheFileFor(entry, dir) : null);
  // runService is async: its ready event cannot have fired yet
  if (run.needsSave) process.once(SERVICE_READY_EVENT, () => setImmediate(() => run.saveCache()));
}

/**
 * Cached code runs as ours: a folder above the cache that someone else could swap is refused
 * like SOCKET_DIR's (exit 78, one line naming it), before any of it is read.
 */
function refuseUnsafeCacheDir(name: string, dir: string): void {
  try {
    assertSafeAncestors(CODE_CACHE_DIR_ENV, dir);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${name}: ${err.message}\n`);
    getParentChannel()?.send({ type: 'fatal', service: name as ServiceName, message: err.message });
    process.exit(EXIT_CONFIG);
  }
}
