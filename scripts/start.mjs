// `npm start`: the desktop app when Electron's binary is here; otherwise say so in one line and run server mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// CSC_SKIP_BUILD and CSC_OUT as in the tests: run an existing build from another folder.
if (!process.env.CSC_SKIP_BUILD) await import('./ensure-build.mjs');
const outDir = process.env.CSC_OUT || 'out';

function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
      const p = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
      return existsSync(p) ? p : null;
    }
    const rel = existsSync(path.join(dir, 'path.txt')) ? readFileSync(path.join(dir, 'path.txt'), 'utf8').trim() : null;
    const p = rel && path.join(dir, 'dist', rel);
    return p && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const args = process.argv.slice(2);
const bin = electronBinary();
const [cmd, cmdArgs] = bin
  ? [bin, ['.', ...args]]
  : [process.execPath, [path.join(outDir, 'main', 'server.js'), ...args.filter((a) => a !== '--server')]];
if (!bin) console.error('Electron binary not found (its download is blocked here; run `npx install-electron` where it works): starting server mode instead.');
const child = spawn(cmd, cmdArgs, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
