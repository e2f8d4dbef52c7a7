import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverModeEnv, type ServerModeEnv } from '../testing/server-env.js';
import { builtEntryDir, shortTempDir } from '../testing/stack.js';
import { waitFor } from '../testing/wait-for.js';

describe('npm start without an Electron binary', () => {
  let setup: ServerModeEnv | undefined;
  const noElectron = shortTempDir('csc-e-');
  afterAll(() => {
    setup?.cleanup();
    fs.rmSync(noElectron, { recursive: true, force: true });
  });

  it('says so in one line and runs server mode, which stops cleanly on SIGTERM', async () => {
    setup = await serverModeEnv();
    const proc = spawn(process.execPath, ['scripts/start.mjs'], {
      env: {
        ...setup.env,
        // an empty folder: no Electron here even on a machine that has downloaded it
        ELECTRON_OVERRIDE_DIST_PATH: noElectron,
        CSC_OUT: path.dirname(builtEntryDir()),
        CSC_SKIP_BUILD: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    proc.stderr!.on('data', (d) => (stderr += d.toString()));
    proc.stdout!.on('data', (d) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    try {
      await waitFor(() => stdout.includes('Press Ctrl-C') || proc.exitCode !== null, 45_000, 100);
      expect(proc.exitCode).toBeNull();
      expect(stdout.split('\n').filter((l) => / running /.test(l))).toHaveLength(6);
      const res = await fetch(`http://127.0.0.1:${setup.gatewayPort}/api/config`);
      expect(await res.json()).toMatchObject({ mode: 'server' });
      const lines = stderr.split('\n').filter(Boolean);
      expect(lines[0]).toMatch(/^Electron binary not found \(.*\): starting server mode instead\.$/);
      expect(lines.filter((l) => /electron/i.test(l))).toHaveLength(1);
    } finally {
      proc.kill('SIGTERM'); // start.mjs passes it on to server mode
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('all services stopped');
    expect(fs.readdirSync(setup.socketDir).filter((f) => f.endsWith('.sock'))).toEqual([]);
  });
});
