import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shortTempDir, startStack, type TestStack } from '../testing/stack.js';
import {
  cacheFileFor,
  codeCacheDir,
  decodeCache,
  encodeCache,
  isPrivateDir,
  runBundle,
  type BundleRun,
} from './code-cache.js';

const made: string[] = [];
const stacks: TestStack[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.stop();
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = shortTempDir('csc-cc-');
  made.push(d);
  return d;
}

/**
 * A small CommonJS bundle shaped like the build's: an entry requiring a chunk by relative path
 * and a built-in. A random tag makes each source new to this process: V8 answers a source it has
 * compiled before from its own in-memory cache, whatever cache file we hand it. (So only a fresh
 * process proves a cache file is used: the built-service test at the end.)
 */
function writeBundle(dir: string, answer = 42): string {
  const tag = randomBytes(8).toString('hex');
  fs.mkdirSync(path.join(dir, 'chunks'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'chunks', 'part.cjs'),
    `"use strict";\n// ${tag}\nexports.twice = (n) => n * 2;\nexports.dir = __dirname;\n`,
  );
  const entry = path.join(dir, 'svc.cjs');
  fs.writeFileSync(
    entry,
    [
      '"use strict";',
      `// ${tag}`,
      'const part = require("./chunks/part.cjs");',
      'const nodePath = require("node:path");',
      `exports.answer = part.twice(${answer} / 2);`,
      'exports.file = nodePath.basename(__filename);',
      'exports.chunkDir = part.dir;',
      'exports.strict = (function () { return this; })() === undefined;',
      'exports.sameModule = module.exports === exports;',
    ].join('\n'),
  );
  return entry;
}

const states = (run: BundleRun) => Object.fromEntries(run.modules);
const sha256hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('codeCacheDir', () => {
  it('is off for off/0/false/no, CSC_CODE_CACHE_DIR when set, else a per-user folder in the temp dir', () => {
    for (const v of ['off', 'OFF', '0', 'false', 'no']) expect(codeCacheDir({ CSC_CODE_CACHE: v })).toBeNull();
    expect(codeCacheDir({ CSC_CODE_CACHE_DIR: 'rel/cache' })).toBe(path.resolve('rel/cache'));
    const def = codeCacheDir({});
    expect(path.dirname(def!)).toBe(os.tmpdir());
    expect(path.basename(def!)).toMatch(/^course-selection-code-cache-/);
  });
});

describe('isPrivateDir', () => {
  it('creates a missing folder 0700, and accepts only a real folder of ours that others cannot write', () => {
    const parent = tempDir();
    const dir = path.join(parent, 'a', 'cache');
    expect(isPrivateDir(dir)).toBe(false); // missing, not asked to create
    expect(isPrivateDir(dir, true)).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);

    const link = path.join(parent, 'link');
    fs.symlinkSync(dir, link);
    expect(isPrivateDir(link)).toBe(false);

    const file = path.join(parent, 'file');
    fs.writeFileSync(file, '');
    expect(isPrivateDir(file)).toBe(false);

    if (process.platform !== 'win32') {
      fs.chmodSync(dir, 0o770);
      expect(isPrivateDir(dir)).toBe(false);
      fs.chmodSync(dir, 0o755); // readable is fine: the cache is compiled code we ship anyway
      expect(isPrivateDir(dir)).toBe(true);
    }
  });
});

describe('the cache file format', () => {
  const entries = [
    { file: 'svc.cjs', source: 'aa', data: Buffer.from('first payload') },
    { file: 'chunks/x.cjs', source: 'bb', data: Buffer.from('second') },
  ];

  it('round-trips its entries', () => {
    const got = decodeCache(encodeCache(entries))!;
    expect(got.get('svc.cjs\0aa')?.toString()).toBe('first payload');
    expect(got.get('chunks/x.cjs\0bb')?.toString()).toBe('second');
    expect(got.size).toBe(2);
  });

  it('refuses a flipped byte, a truncated file, and junk', () => {
    const good = encodeCache(entries);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0xff;
    expect(decodeCache(flipped)).toBeNull();
    expect(decodeCache(good.subarray(0, good.length - 1))).toBeNull();
    expect(decodeCache(Buffer.from('not a cache'))).toBeNull();
    expect(decodeCache(Buffer.alloc(0))).toBeNull();
  });
});

describe('runBundle', () => {
  it('runs an entry and its chunks as CommonJS, strict, with their own paths', () => {
    const dir = tempDir();
    const run = runBundle(writeBundle(dir), null);
    expect(run.exports).toEqual({
      answer: 42,
      file: 'svc.cjs',
      chunkDir: path.join(dir, 'chunks'),
      strict: true,
      sameModule: true,
    });
    expect(states(run)).toEqual({ 'svc.cjs': 'disabled', [path.join('chunks', 'part.cjs')]: 'disabled' });
    expect(run.needsSave).toBe(false);
    expect(run.saveCache()).toBe(false);
  });

  it('compiles without a cache, saves one (0600, in a 0700 folder it creates), then runs from it', () => {
    const dir = tempDir();
    const entry = writeBundle(dir);
    const cacheFile = cacheFileFor(entry, path.join(dir, 'cache'));

    const first = runBundle(entry, cacheFile);
    expect(Object.values(states(first))).toEqual(['missing', 'missing']);
    expect(first.needsSave).toBe(true);
    expect(first.saveCache()).toBe(true);
    expect(fs.statSync(cacheFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(cacheFile)).mode & 0o777).toBe(0o700);
    expect([...decodeCache(fs.readFileSync(cacheFile))!.keys()].map((k) => k.split('\0')[0]).sort()).toEqual(
      [path.join('chunks', 'part.cjs'), 'svc.cjs'].sort(),
    );

    const second = runBundle(entry, cacheFile);
    expect(Object.values(states(second))).toEqual(['accepted', 'accepted']);
    expect(second.needsSave).toBe(false);
    expect((second.exports as { answer: number }).answer).toBe(42);
  });

  it('never runs a stale cache: a changed source of the same length compiles afresh', () => {
    const dir = tempDir();
    const entry = writeBundle(dir, 42);
    const cacheFile = cacheFileFor(entry, path.join(dir, 'cache'));
    expect(runBundle(entry, cacheFile).saveCache()).toBe(true);

    // V8 itself would take this cache: it only compares the source length
    const text = fs.readFileSync(entry, 'utf8');
    fs.writeFileSync(entry, text.replace('part.twice(42 / 2)', 'part.twice(24 / 2)'));
    const run = runBundle(entry, cacheFile);
    expect((run.exports as { answer: number }).answer).toBe(24);
    expect(states(run)['svc.cjs']).toBe('missing');
    expect(states(run)[path.join('chunks', 'part.cjs')]).toBe('accepted');
    expect(run.needsSave).toBe(true);
  });

  it('ignores a corrupt cache file, and writes a good one over it', () => {
    const dir = tempDir();
    const entry = writeBundle(dir);
    const cacheDir = path.join(dir, 'cache');
    const cacheFile = cacheFileFor(entry, cacheDir);
    fs.mkdirSync(cacheDir, { mode: 0o700 });
    fs.writeFileSync(cacheFile, randomBytes(5000));

    const run = runBundle(entry, cacheFile);
    expect((run.exports as { answer: number }).answer).toBe(42);
    expect(Object.values(states(run))).toEqual(['missing', 'missing']);
    expect(run.saveCache()).toBe(true);
    expect(decodeCache(fs.readFileSync(cacheFile))?.size).toBe(2);
  });

  it('runs from source when V8 rejects the cached code, and writes a good cache over it', () => {
    // Sources this process has not compiled yet: V8 would take those from its own in-memory cache.
    const dir = tempDir();
    const entry = writeBundle(dir);
    const cacheFile = cacheFileFor(entry, path.join(dir, 'cache'));
    fs.mkdirSync(path.dirname(cacheFile), { mode: 0o700 });
    const sourceOf = (rel: string) => sha256hex(fs.readFileSync(path.join(dir, rel)));
    const rels = ['svc.cjs', path.join('chunks', 'part.cjs')];
    // an intact file with the right keys, but payloads V8 cannot use
    const junk = rels.map((file) => ({ file, source: sourceOf(file), data: randomBytes(600) }));
    fs.writeFileSync(cacheFile, encodeCache(junk));

    const run = runBundle(entry, cacheFile);
    expect((run.exports as { answer: number }).answer).toBe(42);
    expect(Object.values(states(run))).toEqual(['rejected', 'rejected']);
    expect(run.needsSave).toBe(true);
    expect(run.saveCache()).toBe(true);
    const saved = decodeCache(fs.readFileSync(cacheFile))!;
    for (const j of junk) {
      const fresh = saved.get(`${j.file}\0${j.source}`);
      expect(fresh && !fresh.equals(j.data)).toBe(true);
    }
  });

  it('neither reads nor writes a cache in a folder others can write to', () => {
    if (process.platform === 'win32') return;
    const dir = tempDir();
    const entry = writeBundle(dir);
    const cacheDir = path.join(dir, 'cache');
    const cacheFile = cacheFileFor(entry, cacheDir);
    fs.mkdirSync(cacheDir, { mode: 0o700 });
    expect(runBundle(entry, cacheFile).saveCache()).toBe(true);

    fs.chmodSync(cacheDir, 0o777);
    const run = runBundle(entry, cacheFile);
    expect(Object.values(states(run))).toEqual(['missing', 'missing']);
    expect(run.saveCache()).toBe(false);
  });

  it('fails like a missing module when the bundle itself is missing', () => {
    const dir = tempDir();
    expect(() => runBundle(path.join(dir, 'nope.cjs'), null)).toThrow(/ENOENT/);
  });
});

describe('a built service entry', () => {
  const cacheFiles = (dir: string) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : [];

  it('writes its cache once ready, starts from it next time without rewriting it, and can be switched off', async () => {
    const cacheDir = path.join(tempDir(), 'cache');
    const env = { CSC_CODE_CACHE_DIR: cacheDir };

    const first = await startStack({ services: ['data_node'], env });
    stacks.push(first);
    // saved right after the ready message, before the supervisor's /health probe is answered
    const [file] = cacheFiles(cacheDir);
    expect(file).toMatch(/^data_node-[0-9a-f]{16}\.v8cache$/);
    const written = fs.statSync(path.join(cacheDir, file!));
    await first.stop();

    const second = await startStack({ services: ['data_node'], env });
    stacks.push(second);
    await second.stop();
    expect(cacheFiles(cacheDir)).toEqual([file]);
    const after = fs.statSync(path.join(cacheDir, file!));
    expect(after.ino).toBe(written.ino); // not replaced: the whole service came from the cache
    expect(after.mtimeMs).toBe(written.mtimeMs);

    const offDir = path.join(tempDir(), 'cache');
    const off = await startStack({
      services: ['data_node'],
      env: { CSC_CODE_CACHE: 'off', CSC_CODE_CACHE_DIR: offDir },
    });
    stacks.push(off);
    await off.stop();
    expect(cacheFiles(offDir)).toEqual([]);
  });
});
