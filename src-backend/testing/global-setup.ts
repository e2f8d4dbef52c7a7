import { execFileSync } from 'node:child_process';

/**
 * Integration tests run the built service entry files, exactly as --server mode does.
 * `npm test` builds first and sets CSC_SKIP_BUILD; a bare `vitest` builds the main bundle here.
 */
export default function setup(): void {
  if (process.env.CSC_SKIP_BUILD) return;
  execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
    stdio: 'inherit',
    env: { ...process.env, CSC_BUILD_ONLY: 'main' },
  });
}
