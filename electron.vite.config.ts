import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

/**
 * One build for all processes. The main bundle also emits the service entry files, the
 * headless server, the CLI and the benchmarks, so the supervisor starts the same built
 * JavaScript under Node (--server, tests) and under Electron (utilityProcess).
 */
const backendEntries: Record<string, string> = {
  server: 'src-backend/server/main.ts',
  data_node: 'src-backend/services/data/main.ts',
  auth_node: 'src-backend/services/auth/main.ts',
  teacher_node: 'src-backend/services/teacher/main.ts',
  student_node: 'src-backend/services/student/main.ts',
  queue_node: 'src-backend/services/queue/main.ts',
  realtime: 'src-backend/services/realtime/main.ts',
  cli: 'src-backend/cli/main.ts',
  'bench-transport': 'src-backend/bench/transport.ts',
  'bench-rush': 'src-backend/bench/rush.ts',
  'bench-realtime': 'src-backend/bench/realtime.ts',
  'bench-import': 'src-backend/bench/import.ts',
};

/** A missing entry fails the build: skipping it would ship a supervisor that cannot start a service. */
function mainInputs(): Record<string, string> {
  const inputs: Record<string, string> = { index: resolve('src-main/index.ts') };
  for (const [name, file] of Object.entries(backendEntries)) {
    if (!existsSync(file)) {
      throw new Error(`electron.vite.config.ts: entry "${name}" is missing: ${file} does not exist`);
    }
    inputs[name] = resolve(file);
  }
  return inputs;
}

/** Everything in `dependencies` but the native addons, which must load from node_modules. */
const NATIVE = new Set(['better-sqlite3', 'argon2']);
const bundledDeps = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies,
).filter((d) => !NATIVE.has(d));

/** CSC_OUT lets parallel work build into separate folders; CSC_BUILD_ONLY=main skips the UI. */
const out = process.env.CSC_OUT || 'out';
const mainOnly = process.env.CSC_BUILD_ONLY === 'main';

export default defineConfig({
  main: {
    build: {
      outDir: `${out}/main`,
      target: 'node20',
      // Bundle the pure-JS dependencies: resolving and loading hundreds of small files from
      // node_modules was most of a service's start-up. Native modules stay external.
      externalizeDeps: { exclude: bundledDeps },
      rollupOptions: { input: mainInputs() },
    },
  },
  preload: mainOnly ? undefined : {
    build: {
      outDir: `${out}/preload`,
      rollupOptions: {
        input: { index: resolve('src-main/preload.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: mainOnly ? undefined : {
    root: 'src-renderer',
    plugins: [vue()],
    resolve: { alias: { '@contracts': resolve('src-backend/contracts') } },
    build: {
      outDir: resolve(`${out}/renderer`),
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
