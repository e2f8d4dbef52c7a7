import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { build, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import { SERVICE_NAMES } from './src-backend/contracts/services.js';

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

/** The six service processes: the supervisor forks out/main/<name>.js for each. */
const SERVICES: readonly string[] = SERVICE_NAMES;
/** Where the ES-module build of a service lands before it is re-bundled as <name>.cjs (then removed). */
const SERVICE_ESM_DIR = 'service-esm';
const SERVICE_ENTRY = 'csc-service-entry:';
/** out/main/services.json: SERVICE_NAMES as this build used it */
const SERVICE_MANIFEST = 'services.json';

/** A missing entry fails the build: skipping it would ship a supervisor that cannot start a service. */
function mainInputs(): Record<string, string> {
  const inputs: Record<string, string> = { index: resolve('src-main/index.ts') };
  for (const [name, file] of Object.entries(backendEntries)) {
    if (!existsSync(file)) {
      throw new Error(`electron.vite.config.ts: entry "${name}" is missing: ${file} does not exist`);
    }
    if (SERVICES.includes(name)) {
      inputs[`${SERVICE_ESM_DIR}/${name}`] = resolve(file);
      inputs[name] = `${SERVICE_ENTRY}${name}`;
    } else {
      inputs[name] = resolve(file);
    }
  }
  return inputs;
}

/**
 * Services start from a V8 code cache (src-backend/shared/code-cache.ts), which Node 20 offers
 * for scripts only, not ES modules. So the services' ES-module build (service-esm/<name>.js and
 * their chunks) is re-bundled, the same code, as CommonJS: out/main/<name>.cjs with shared
 * chunks/*.cjs. out/main/<name>.js, the file the supervisor forks under Node and Electron,
 * becomes a small entry that runs <name>.cjs with the cache.
 */
function serviceBundles(): Plugin {
  return {
    name: 'csc-service-bundles',
    resolveId: (id) => (id.startsWith(SERVICE_ENTRY) ? `\0${id}` : null),
    load(id) {
      if (!id.startsWith(`\0${SERVICE_ENTRY}`)) return null;
      const name = id.slice(SERVICE_ENTRY.length + 1);
      return [
        `import { startServiceBundle } from ${JSON.stringify(resolve('src-backend/shared/code-cache.ts'))};`,
        `startServiceBundle(${JSON.stringify(name)}, import.meta.url);`,
      ].join('\n');
    },
    async writeBundle(options) {
      const dir = options.dir!;
      await build({
        configFile: false,
        root: resolve('.'),
        logLevel: 'warn',
        // as electron-vite's main preset: process.env stays a run-time lookup
        define: { 'process.env': 'process.env' },
        build: {
          ssr: true,
          target: 'node20',
          outDir: dir,
          emptyOutDir: false,
          copyPublicDir: false,
          minify: false,
          reportCompressedSize: false,
          rolldownOptions: {
            input: Object.fromEntries(SERVICES.map((n) => [n, join(dir, SERVICE_ESM_DIR, `${n}.js`)])),
            external: [...NATIVE, ...builtinModules.flatMap((m) => [m, `node:${m}`])],
            output: {
              format: 'cjs',
              entryFileNames: '[name].cjs',
              // beside the ES-module chunks, so __dirname in bundled dependencies stays the same
              chunkFileNames: 'chunks/[name]-[hash].cjs',
              // ES modules are strict; their CommonJS copy must be as well
              banner: '"use strict";',
            },
          },
        },
      });
      rmSync(join(dir, SERVICE_ESM_DIR), { recursive: true, force: true });
      // Written last: scripts/ensure-build.mjs (plain Node, no TypeScript) reads the service list
      // from here instead of a copy, and a build cut short leaves no manifest, so it rebuilds.
      writeFileSync(join(dir, SERVICE_MANIFEST), JSON.stringify(SERVICE_NAMES));
    },
  };
}

/**
 * Everything in `dependencies` but what must load from node_modules: the native addons, and
 * @fastify/swagger-ui, which reads its own files (the Swagger UI assets) beside its code.
 */
const NATIVE = new Set(['better-sqlite3', 'argon2', '@fastify/swagger-ui']);
const bundledDeps = Object.keys(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies,
).filter((d) => !NATIVE.has(d));

/** CSC_OUT lets parallel work build into separate folders; CSC_BUILD_ONLY=main skips the UI. */
const out = process.env.CSC_OUT || 'out';
const mainOnly = process.env.CSC_BUILD_ONLY === 'main';

export default defineConfig({
  main: {
    plugins: [serviceBundles()],
    build: {
      outDir: `${out}/main`,
      target: 'node20',
      // Bundle the pure-JS dependencies: resolving and loading hundreds of small files from
      // node_modules was most of a service's start-up. Native modules stay external.
      externalizeDeps: { exclude: bundledDeps },
      rollupOptions: { input: mainInputs() },
    },
  },
  preload: mainOnly
    ? undefined
    : {
        build: {
          outDir: `${out}/preload`,
          rollupOptions: {
            input: { index: resolve('src-main/preload.ts') },
            // Sandboxed preloads cannot be ES modules.
            output: { format: 'cjs', entryFileNames: '[name].cjs' },
          },
        },
      },
  renderer: mainOnly
    ? undefined
    : {
        root: 'src-renderer',
        plugins: [vue()],
        resolve: { alias: { '@contracts': resolve('src-backend/contracts') } },
        build: {
          outDir: resolve(`${out}/renderer`),
          rollupOptions: {
            input: { index: resolve('src-renderer/index.html'), portal: resolve('src-renderer/portal.html') },
          },
        },
        experimental: {
          // The portal's page is served for every /portal/… deep link, so it names the shared
          // assets from the root; the console's page keeps relative URLs for Electron's app://.
          renderBuiltUrl: (filename, { hostType, hostId }) =>
            hostType === 'html' && hostId.endsWith('portal.html') ? `/${filename}` : { relative: true },
        },
      },
});
