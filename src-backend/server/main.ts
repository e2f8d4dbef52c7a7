import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeHost } from '../supervisor/node-host.js';
import { exitOnStartupError, runServerMode } from './server-mode.js';

// `npm run server`: services as Node child processes; the built console is beside this bundle.
const here = path.dirname(fileURLToPath(import.meta.url));
runServerMode({
  host: new NodeHost(),
  entryDir: here,
  staticDir: path.resolve(here, '../renderer'),
  argv: process.argv.slice(2),
}).catch(exitOnStartupError);
