import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../contracts/supervisor.js';
import { LogFiles } from './log-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const record = (seq: number, service = 'auth_node'): LogRecord => ({
  seq,
  time: new Date().toISOString(),
  level: 'info',
  service,
  msg: `line ${seq} ${'x'.repeat(150)}`,
});

describe('LogFiles', () => {
  it('writes each service to its own rotating files, capped by size and count, folder 0700 and files 0600', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-logs-'));
    dirs.push(root);
    const dir = path.join(root, 'logs');
    const files = new LogFiles({ dir, size: '4k', count: 3 });
    for (let i = 1; i <= 300; i++) {
      files.write(record(i));
      // Let pino-roll see the writes and roll between bursts, as a running service would.
      if (i % 25 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    files.write(record(1, 'data_node'));
    await files.close();
    await new Promise((r) => setTimeout(r, 100)); // old-file clean-up runs after the roll

    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const names = fs.readdirSync(dir).sort();
    const auth = names.filter((n) => n.startsWith('auth_node.'));
    expect(auth.length).toBeGreaterThan(1); // it did roll
    expect(auth.length).toBeLessThanOrEqual(3); // and kept no more than three
    expect(names.filter((n) => n.startsWith('data_node.'))).toHaveLength(1);
    for (const n of names) expect(fs.statSync(path.join(dir, n)).mode & 0o777).toBe(0o600);
    for (const n of auth) {
      const text = fs.readFileSync(path.join(dir, n), 'utf8');
      // pino-roll rolls after the flush that crossed the size, so a file may end a few bursts past it.
      expect(fs.statSync(path.join(dir, n)).size).toBeLessThan(4096 * 4);
      for (const l of text.split('\n').filter(Boolean)) expect(JSON.parse(l)).toMatchObject({ service: 'auth_node' });
    }
    // The newest lines are kept, in order, in the newest files (the very newest may just have rolled, empty).
    const kept = auth
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
      .flatMap((n) => fs.readFileSync(path.join(dir, n), 'utf8').split('\n').filter(Boolean))
      .map((l) => (JSON.parse(l) as LogRecord).seq);
    expect(kept.at(-1)).toBe(300);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });
});
