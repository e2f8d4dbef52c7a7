// Build once if the bundle is missing, so `npm run server` and the benches work on a fresh clone.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

if (!existsSync('out/main/server.js') || !existsSync('out/renderer/index.html')) {
  console.error('building (first run)…');
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
}
