/**
 * npm run bench:import — a 10,000-row student CSV imported end to end with the real CLI:
 * `course-cli import csv … --generate-passwords --output …` as a child process against real
 * data_node + auth_node processes, timed from spawn to exit. The target is < 10 s.
 * Figures, not assertions: it prints them and writes bench/results/import.json.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parseUsersCsv } from '../cli/csv/read-users-csv.js';
import { startStack } from '../testing/stack.js';
import { machineInfo, round, writeResult } from './stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cliJs = path.join(here, 'cli.js');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const ROWS = arg('rows', 10_000);
/** --given-passwords: every row carries its own password, so auth_node hashes each with argon2id */
const GIVEN_PASSWORDS = process.argv.includes('--given-passwords');
const TARGET_SECONDS = 10;

function run(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cliJs, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(input);
  });
}

function makeCsv(file: string, rows: number): void {
  const lines = [GIVEN_PASSWORDS ? 'username,name,email,group,password' : 'username,name,email,group'];
  for (let i = 1; i <= rows; i++) {
    const row = `bench${i},"Student ${i}, Bench",bench${i}@example.com,cs-${2020 + (i % 6)}`;
    lines.push(GIVEN_PASSWORDS ? `${row},pw-${randomBytes(6).toString('hex')}` : row);
  }
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
}

async function main(): Promise<void> {
  if (!fs.existsSync(cliJs)) throw new Error(`${cliJs} is missing: run npm run build`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-bi-'));
  const adminPassword = `bench-${randomBytes(9).toString('hex')}`;
  const stack = await startStack({
    services: ['data_node', 'auth_node'],
    env: { ADMIN_PASSWORD: adminPassword, LOG_LEVEL: 'warn' },
  });
  try {
    const home = path.join(work, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' };
    for (const [k, v] of Object.entries(stack.env))
      if (/^(HOST|SOCKET_DIR|USE_SOCKETS|[A-Z_]+_PORT)$/.test(k)) env[k] = v;

    const csv = path.join(work, 'users.csv');
    makeCsv(csv, ROWS);
    const bytes = fs.statSync(csv).size;
    const p0 = performance.now();
    const parsed = parseUsersCsv(fs.readFileSync(csv), { userType: 'student', generatePasswords: !GIVEN_PASSWORDS });
    const parseMs = performance.now() - p0;
    if (parsed.rows.length !== ROWS) throw new Error(`the generated CSV parsed to ${parsed.rows.length} rows`);

    const login = await run(['user', 'login', '--username', 'admin'], env, `${adminPassword}\n`);
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr.trim()}`);

    const results = path.join(work, 'results.csv');
    console.log(
      `importing ${ROWS} students (${(bytes / 1024).toFixed(0)} KiB CSV) through course-cli over ${stack.client.transportFor('auth_node')}…`,
    );
    const imp = await run(
      [
        'import',
        'csv',
        csv,
        '--user-type',
        'student',
        ...(GIVEN_PASSWORDS ? [] : ['--generate-passwords']),
        '--output',
        results,
      ],
      env,
    );
    if (imp.code !== 0) throw new Error(`import failed (exit ${imp.code}): ${imp.stderr.trim()}`);

    // Check the outcome, so a fast wrong answer cannot pass as a result.
    const out = parse(fs.readFileSync(results)) as string[][];
    const created = out
      .slice(1)
      .filter((r) => r[4] === 'created' && (GIVEN_PASSWORDS || r[1]) && r[2] && r[3]?.startsWith('otpauth://')).length;
    const list = await run(['user', 'list', '--user-type', 'student', '--search', 'bench', '--json'], env);
    const listed = list.code === 0 ? (JSON.parse(list.stdout) as unknown[]).length : -1;

    const seconds = imp.ms / 1000;
    const result = {
      rows: ROWS,
      passwords: GIVEN_PASSWORDS ? 'given in the CSV (argon2id per row)' : 'generated by auth_node',
      csvBytes: bytes,
      importSeconds: round(seconds, 2),
      rowsPerSecond: Math.round(ROWS / seconds),
      targetSeconds: TARGET_SECONDS,
      meetsTarget: seconds < TARGET_SECONDS && created === ROWS && listed === ROWS,
      cliParseValidateMs: round(parseMs, 1),
      createdInResultsFile: created,
      studentsListedAfterwards: listed,
      transport: stack.client.transportFor('auth_node'),
      machine: { ...machineInfo(), cpus: os.cpus().length, loadAvg: os.loadavg().map((n) => round(n, 2)) },
    };
    console.log(
      `  import end to end:   ${result.importSeconds} s  (${result.rowsPerSecond} rows/s; target < ${TARGET_SECONDS} s)`,
    );
    console.log(`  CLI parse+validate:  ${result.cliParseValidateMs} ms`);
    console.log(`  results file:        ${created}/${ROWS} created with password, 2FA secret and URI`);
    console.log(`  students listed:     ${listed}`);
    console.log(`  ${result.meetsTarget ? 'meets' : 'MISSES'} the target`);
    console.log(`wrote ${writeResult(GIVEN_PASSWORDS ? 'import-given-passwords' : 'import', result)}`);
  } finally {
    await stack.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench:import: ${(err as Error).message}`);
  process.exit(1);
});
