import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The product version from package.json, found by walking up from the built file. */
export function readVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      try {
        return (JSON.parse(fs.readFileSync(p, 'utf8')) as { version?: string }).version ?? '0.0.0';
      } catch {
        return '0.0.0';
      }
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
