#!/usr/bin/env node
// The npm bin: runs the built CLI. Kept tiny so that `npx course-cli`, `npm link` and a global
// install all start the same bundle (out/main/cli.js, built by electron-vite).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('error: course-cli is not built yet: run npm run build\n');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
