// Build when the bundle is missing or older than the sources, so `npm run server` and the
// benches never run stale code. Extra arguments name outputs that must exist.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The services run from CommonJS copies (<name>.cjs) that a build writes last, after their
// entries; then it writes out/main/services.json, the contracts' SERVICE_NAMES it built them for.
const MANIFEST = 'out/main/services.json';
const services = existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')) : [];
const required = [
  'out/main/server.js',
  'out/renderer/index.html',
  MANIFEST,
  ...services.map((s) => `out/main/${s}.cjs`),
  ...process.argv.slice(2),
];

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const missing = required.filter((f) => !existsSync(f));
const built = missing.length ? 0 : Math.min(...required.map((f) => statSync(f).mtimeMs));
const sources = Math.max(
  ...['src-backend', 'src-main', 'src-renderer'].map(newestSource),
  ...['package.json', 'electron.vite.config.ts'].map((f) => statSync(f).mtimeMs),
);
if (missing.length || sources > built) {
  console.error(missing.length ? 'building (first run)…' : 'sources changed since the last build: rebuilding…');
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
}
