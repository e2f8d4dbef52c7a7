#!/usr/bin/env node
/**
 * npm run bench:compare -- --base <git ref> [--rounds 3] [--bench rush,transport,realtime,import]
 *   [--rush-args "..."] [--transport-args "..."] [--realtime-args "..."] [--import-args "..."]
 *
 * Runs each benchmark against the build of <base> and the build of the working tree, alternating
 * base/current round by round so both see the same machine noise, and prints the numeric figures
 * of both side by side (median of the rounds, and current/base). Refactors promise "within the
 * noise of before": this is the run that shows it. The base is built in a throw-away git worktree
 * that shares this checkout's node_modules. Writes bench/results/compare-<bench>.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const base = opt('base');
if (!base) {
  console.error('bench:compare: --base <git ref> is required (the commit to compare against)');
  process.exit(2);
}
const rounds = Number(opt('rounds', '3'));
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('bench:compare: --rounds must be a positive whole number');
  process.exit(2);
}
const benches = opt('bench', 'transport,rush,realtime').split(',');
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
const sha = git('rev-parse', '--short', base);

/** A build of `base` in its own worktree; kept between runs, keyed by commit. */
function baseBuild() {
  const dir = path.join(os.tmpdir(), `csc-bench-base-${sha}`);
  if (!fs.existsSync(path.join(dir, 'out', 'main', 'server.js'))) {
    if (!fs.existsSync(dir)) git('worktree', 'add', '--detach', dir, sha);
    if (!fs.existsSync(path.join(dir, 'node_modules')))
      fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
    console.log(`building ${sha} in ${dir}`);
    run('npm', ['run', 'build'], dir);
  }
  return dir;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status})`);
}

/** Every numeric leaf of a result, keyed by its dotted path (arrays of numbers give their median). */
function figures(obj, prefix = '', out = {}) {
  if (typeof obj === 'number' && Number.isFinite(obj)) out[prefix] = obj;
  else if (Array.isArray(obj) && obj.length > 0 && obj.every((v) => typeof v === 'number')) out[prefix] = median(obj);
  else if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj))
      if (k !== 'machine' && k !== 'targets') figures(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const resultName = { transport: 'transport', rush: 'rush', realtime: 'realtime', import: 'import' };

function runBench(dir, bench) {
  const extra = (opt(`${bench}-args`, '') || '').split(' ').filter(Boolean);
  const file = path.join(dir, 'bench', 'results', `${resultName[bench]}.json`);
  fs.rmSync(file, { force: true });
  run('node', [path.join(dir, 'out', 'main', `bench-${bench}.js`), ...extra], dir);
  return figures(JSON.parse(fs.readFileSync(file, 'utf8')));
}

const baseDir = baseBuild();
console.log('building the working tree');
run('npm', ['run', 'build'], repo);

for (const bench of benches) {
  if (!resultName[bench]) throw new Error(`unknown benchmark ${bench}`);
  const runs = { base: [], current: [] };
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first so a drift in machine load does not favour one side.
    const order = r % 2 === 0 ? ['base', 'current'] : ['current', 'base'];
    for (const side of order) {
      console.log(`\n== ${bench} round ${r + 1}/${rounds}: ${side === 'base' ? sha : 'working tree'} ==`);
      runs[side].push(runBench(side === 'base' ? baseDir : repo, bench));
    }
  }
  const keys = Object.keys(runs.current[0]).filter((k) => k in runs.base[0]);
  const rows = keys.map((k) => {
    const b = median(runs.base.map((f) => f[k]));
    const c = median(runs.current.map((f) => f[k]));
    return {
      figure: k,
      base: b,
      current: c,
      ratio: b === 0 ? null : c / b,
      baseRuns: runs.base.map((f) => f[k]),
      currentRuns: runs.current.map((f) => f[k]),
    };
  });
  console.log(`\n${bench}: median of ${rounds} round(s), base ${sha} vs working tree`);
  const w = Math.max(...rows.map((r) => r.figure.length));
  for (const r of rows) {
    const fmt = (n) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3));
    console.log(
      `  ${r.figure.padEnd(w)}  ${fmt(r.base).padStart(10)}  ${fmt(r.current).padStart(10)}  ${r.ratio === null ? '' : `×${r.ratio.toFixed(2)}`}`,
    );
  }
  const outDir = path.join(repo, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, `compare-${bench}.json`),
    `${JSON.stringify({ base: sha, rounds, rows, recordedAt: new Date().toISOString() }, null, 2)}\n`,
  );
}
