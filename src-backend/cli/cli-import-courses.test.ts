import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Course } from '../contracts/courses.js';
import { DataCourseRoutes } from '../contracts/routes/data-courses.js';
import { seedUsers } from '../services/queue/testing/seed.js';
import { startStack, type TestStack } from '../testing/stack.js';
import { cliEnvFor, makeHome, runCli, type CliRun } from './testing/run-cli.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

/** `import courses` with the built CLI against real data_node + auth_node + teacher_node. */
const ADMIN_PASSWORD = 'course-import-Passw0rd!';
let stack: TestStack;
let env: Record<string, string>;
let home: string;
let work: string;

beforeAll(async () => {
  stack = await startStack({ services: ['data_node', 'auth_node', 'teacher_node'], env: { ADMIN_PASSWORD } });
  await seedUsers(stack.client, [
    { role: 'teacher', username: 'ci-teach', name: 'Import Teacher' },
    { role: 'student', username: 'ci-stud', name: 'Not A Teacher', group: 'cs' },
  ]);
  env = { ...cliEnvFor(stack.env), NO_COLOR: '1' };
  home = makeHome();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-cimp-'));
  const login = await runCli(['user', 'login', '--username', 'admin'], { home, env, input: `${ADMIN_PASSWORD}\n` });
  expect(login.code, login.stderr).toBe(0);
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const cli = (args: string[]): Promise<CliRun> => runCli(args, { home, env, timeoutMs: 110_000 });
function csvFile(name: string, content: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}
async function courses(prefix: string): Promise<Course[]> {
  const { courses } = await stack.client.call(DataCourseRoutes.list, { query: { search: prefix } });
  return courses.filter((c) => c.code.startsWith(prefix));
}
const lines = (s: string) => s.split('\n').filter(Boolean);

describe('course-cli import courses', () => {
  it('imports the good rows, names each bad field by the line it starts on, and stores slots, groups and teacher', async () => {
    const file = csvFile(
      'mixed.csv',
      '\ufeffcode,name,capacity,credits,slots,description,allowed_groups,teacher\r\n' + // 1
        'MX1,Intro,30,3,Mon 09:00-10:30; Wed 09:00-10:30,,cs-2024; math-2024,ci-teach\r\n' + // 2
        'MX2,Spans,10,2,Fri 08:00-09:00,"line one\r\nline two",,\r\n' + // 3-4
        'MX3,Bad slot,10,2,Mon 9-10,,,\r\n' + // 5
        'MX4,"Long\r\ntitle",many,2,,,,\r\n', // 6-7: capacity starts on line 7
    );
    const run = await cli(['import', 'courses', file]);
    expect(lines(run.stderr)).toEqual([
      'line 5 (MX3): slot "Mon 9-10" is not like "Mon 09:00-10:30" — skipped',
      'line 7 (MX4): capacity "many" is not a whole number 0-100000 — skipped',
      'error: 2 of 4 rows were not imported (listed above)',
    ]);
    expect(run.stdout).toBe(`✔ Imported 2 of 4 courses from ${file}\n`);
    expect(run.code).toBe(1);
    const got = await courses('MX');
    expect(got.map((c) => c.code)).toEqual(['MX1', 'MX2']);
    expect(got[0]).toMatchObject({
      slots: [
        { day: 1, start: '09:00', end: '10:30' },
        { day: 3, start: '09:00', end: '10:30' },
      ],
      allowedGroups: ['cs-2024', 'math-2024'],
      teacherName: 'Import Teacher',
    });
    expect(got[1]!.description).toBe('line one\nline two');
  });

  it('--dry-run asks the server, reports what it would refuse, and writes nothing', async () => {
    await cli(['import', 'courses', csvFile('taken.csv', 'code,name,capacity,credits,slots\nDRTAKEN,Taken,5,1,\n')]);
    const file = csvFile(
      'dry.csv',
      'code,name,capacity,credits,slots,teacher\n' +
        'DR1,Fine,5,1,Tue 10:00-11:00,\n' +
        'DRTAKEN,Dup of a stored code,5,1,,\n' +
        'DR2,Student as teacher,5,1,,ci-stud\n',
    );
    const run = await cli(['import', 'courses', file, '--dry-run']);
    expect(lines(run.stderr)).toEqual([
      'line 3 (DRTAKEN): course code DRTAKEN is taken — would be refused',
      'line 4 (DR2): ci-stud is not a teacher — would be refused',
      'error: 2 of 3 rows would not be imported (listed above)',
    ]);
    expect(run.stdout).toBe(`✔ Dry run: 1 of 3 courses would be imported from ${file}; nothing was written\n`);
    expect(run.code).toBe(1);
    expect((await courses('DR')).map((c) => c.code)).toEqual(['DRTAKEN']);
  });

  it('--atomic: a row the server refuses rolls back every row, and the CLI names it', async () => {
    await cli(['import', 'courses', csvFile('at0.csv', 'code,name,capacity,credits,slots\nATTAKEN,Taken,5,1,\n')]);
    const file = csvFile(
      'atomic.csv',
      'code,name,capacity,credits,slots\n' + 'AT1,One,5,1,\n' + 'AT2,Two,5,1,\n' + 'ATTAKEN,Clash,5,1,\n',
    );
    const run = await cli(['import', 'courses', file, '--atomic']);
    expect(lines(run.stderr)).toEqual([
      'line 4 (ATTAKEN): course code ATTAKEN is taken — failed',
      'error: nothing imported: 1 of 3 rows were refused',
    ]);
    expect(run.code).toBe(1);
    expect((await courses('AT')).map((c) => c.code)).toEqual(['ATTAKEN']);

    const fine = await cli([
      'import',
      'courses',
      csvFile('at-ok.csv', 'code,name,capacity,credits,slots\nAT1,One,5,1,\nAT2,Two,5,1,\n'),
      '--atomic',
    ]);
    expect(fine.code, fine.stderr).toBe(0);
    expect((await courses('AT')).map((c) => c.code)).toEqual(['AT1', 'AT2', 'ATTAKEN']);
  });

  it('--atomic with a bad row in the file sends nothing; a malformed file names the line of the unclosed quote', async () => {
    const bad = await cli([
      'import',
      'courses',
      csvFile('ab.csv', 'code,name,capacity,credits,slots\nAB1,One,5,1,\nAB2,Two,x,1,\n'),
      '--atomic',
    ]);
    expect(lines(bad.stderr)).toEqual([
      'line 3 (AB2): capacity "x" is not a whole number 0-100000 — rejected',
      'error: nothing imported: 1 bad row and --atomic',
    ]);
    expect(await courses('AB')).toEqual([]);

    const file = csvFile('broken.csv', 'code,name,capacity,credits,slots\nBR1,"Open quote,5,1,\nBR2,Two,5,1,\n');
    const broken = await cli(['import', 'courses', file]);
    expect(lines(broken.stderr)).toEqual([
      `error: ${file} is malformed: a quoted field that starts at line 2 is never closed`,
    ]);
    expect(broken.code).toBe(1);
  });
});
