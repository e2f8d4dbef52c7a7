import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { ensureBuilt, startServer } from './support/server.js';

/**
 * One server-mode process tree for the whole run, with a fresh data folder: the specs then walk
 * through the console as an admin would, from the first sign-in on. Its address reaches the
 * workers through the environment; the returned function is Playwright's teardown.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const outDir = path.resolve(process.env.CSC_OUT || 'out');
  ensureBuilt(outDir);
  const adminPassword = `e2e-${Math.random().toString(36).slice(2)}-Pass!`;
  const server = await startServer({ outDir, adminPassword, logFile: path.resolve('e2e/artifacts/server.log') });
  process.env.E2E_BASE_URL = server.baseURL;
  process.env.E2E_ADMIN_PASSWORD = adminPassword;
  process.env.E2E_SERVER_PID = String(server.pid);
  return () => server.stop();
}
