import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthPaths } from '../../contracts/routes/auth.js';
import { StudentRoutes } from '../../contracts/routes/student.js';
import { shortTempDir, startStack, type TestStack } from '../../testing/stack.js';
import { waitFor } from '../../testing/wait-for.js';
import { createCourse, mintSessions, openSelection, seedUsers } from '../queue/testing/seed.js';

// data_node on storage that stops taking writes: a small tmpfs filled to the brim, and a folder
// bind-mounted read-only. Real mounts (tests run as root), real processes under the supervisor.
const ADMIN_PASSWORD = 'storage-test-Passw0rd!';

function sh(cmd: string, ...args: string[]): { ok: boolean; err: string } {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: res.status === 0, err: (res.stderr || res.error?.message || '').trim() };
}

/** Whether this machine lets us mount (root, and no container that forbids it). */
const mountProblem = ((): string | null => {
  if (process.platform !== 'linux') return 'mounts are Linux-only here';
  const probe = shortTempDir('csc-mnt-');
  try {
    const m = sh('mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe);
    if (!m.ok) return `cannot mount a tmpfs: ${m.err}`;
    sh('umount', probe);
    return null;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
})();
if (mountProblem) console.warn(`storage-unwritable tests skipped: ${mountProblem}`);

const mounted: string[] = [];
const folders: string[] = [];
let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.stop();
  stack = null;
  for (const m of mounted.splice(0).reverse()) {
    sh('mount', '-o', 'remount,rw,bind', m); // a read-only bind mount is still a mount; make sure
    const u = sh('umount', m);
    if (!u.ok) throw new Error(`could not unmount ${m}: ${u.err}`);
  }
  for (const d of folders.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function mountPoint(): string {
  const dir = shortTempDir('csc-mnt-');
  folders.push(dir);
  return dir;
}

async function post(
  url: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; retryAfter: string | null; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

async function get(url: string, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

const signIn = (s: TestStack) =>
  post(`${s.httpUrl('auth_node')}${AuthPaths.loginAdmin}`, { username: 'admin', password: ADMIN_PASSWORD });
const health = (s: TestStack) => get(`${s.httpUrl('data_node')}/health`);
const dataStatus = (s: TestStack) => s.supervisor.status().processes.find((p) => p.name === 'data_node')!;

/** What a signed-in admin can still do while nothing can be written: reads. */
async function expectReadsWork(s: TestStack, token: string): Promise<void> {
  const me = await get(`${s.httpUrl('auth_node')}${AuthPaths.me}`, token);
  expect([me.status, me.body.user?.username]).toEqual([200, 'admin']);
  const users = await get(`${s.httpUrl('auth_node')}${AuthPaths.users}`, token);
  expect(users.status).toBe(200);
}

/** A write refused for the storage: 503 STORAGE_UNAVAILABLE with Retry-After, not a dead auth_node. */
function expectStorageRefusal(res: { status: number; retryAfter: string | null; body: any }, why: RegExp): void {
  expect(res.status).toBe(503);
  expect(res.retryAfter).toBe('5');
  expect(res.body.error.code).toBe('STORAGE_UNAVAILABLE');
  expect(res.body.error.message).toMatch(why);
}

describe.skipIf(mountProblem !== null)('data_node when its storage stops taking writes', () => {
  it('a full disk: degraded with the reason, writes 503 with Retry-After, reads work, heals within 10 s of space', async () => {
    const dataDir = mountPoint();
    const m = sh('mount', '-t', 'tmpfs', '-o', 'size=6m,mode=0700', 'tmpfs', dataDir);
    expect(m.err).toBe('');
    mounted.push(dataDir);
    stack = await startStack({
      services: ['data_node', 'auth_node', 'student_node', 'queue_node'],
      dataDir,
      env: { ADMIN_PASSWORD },
    });
    const first = await signIn(stack);
    expect(first.status).toBe(200);
    const token = first.body.token as string;
    const [admin, student] = await seedUsers(stack.client, [
      { role: 'admin', username: 'sadmin', name: 'Admin' },
      { role: 'student', username: 'sstudent', name: 'Student', group: null },
    ]);
    const actor = { userId: admin!.id, role: 'admin' as const };
    const course = await createCourse(stack.client, actor, {
      code: 'F1',
      name: 'Full',
      capacity: 5,
      credits: 1,
      slots: [],
    });
    await openSelection(stack.client, actor);
    const [studentToken] = await mintSessions(stack.client, [student!.id]);
    const select = () =>
      post(`${stack!.httpUrl('student_node')}${StudentRoutes.select.url}`, { courseId: course.id }, studentToken);

    // fill it to the brim: big pieces, then smaller, down to single bytes
    const filler = path.join(dataDir, 'filler');
    const fd = fs.openSync(filler, 'w');
    for (let piece = 1 << 20; piece >= 1; piece >>= 1) {
      const buf = Buffer.alloc(piece, 1);
      try {
        for (;;) fs.writeSync(fd, buf);
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
    }
    fs.closeSync(fd);

    // sign-ins write a session: some commit soon needs a page the disk no longer has
    let refused = await signIn(stack);
    for (let i = 0; i < 50 && refused.status === 200; i++) refused = await signIn(stack);
    expectStorageRefusal(refused, /disk is full \(SQLITE_FULL\)/);
    expect(await health(stack)).toMatchObject({
      status: 200,
      body: { status: 'degraded', reason: expect.stringMatching(/^storage not writable: the disk is full/) },
    });
    await waitFor(() => dataStatus(stack!).degraded, 5000);
    expect(dataStatus(stack)).toMatchObject({ state: 'running', degraded: expect.stringMatching(/disk is full/) });
    expect(stack.supervisor.status().overall).toBe('degraded');
    await expectReadsWork(stack, token);
    // a student: still signed in and reading, but a selection is refused with the reason, at once
    const selected = await get(`${stack.httpUrl('student_node')}${StudentRoutes.selected.url}`, studentToken);
    expect(selected.status).toBe(200);
    const refusedSelect = await select();
    expectStorageRefusal(refusedSelect, /disk is full/);

    fs.rmSync(filler);
    const freedAt = Date.now();
    await waitFor(async () => (await health(stack!)).body.status === 'healthy', 10_000, 200);
    expect(Date.now() - freedAt).toBeLessThan(10_000);
    expect((await signIn(stack)).status).toBe(200);
    expect((await select()).status).toBe(200);
    await waitFor(() => dataStatus(stack!).degraded === undefined, 5000);
    expect(stack.supervisor.status().overall).toBe('healthy');
  });

  it('a read-only DATA_DIR at start: degraded, reads work, writes 503; writable again, it heals within 10 s', async () => {
    const src = mountPoint();
    const mnt = mountPoint();
    expect(sh('mount', '--bind', src, mnt).err).toBe('');
    mounted.push(mnt);
    const dataDir = path.join(mnt, 'data');
    // The supervisor's log files live outside the mount: an open log file would make the
    // read-only remount below "busy", as it would for an admin remounting a live DATA_DIR.
    stack = await startStack({
      services: ['data_node', 'auth_node'],
      dataDir,
      env: { ADMIN_PASSWORD },
      logFiles: { dir: mountPoint() },
    });
    const token = (await signIn(stack)).body.token as string;
    expect(token).toEqual(expect.any(String));

    // stop data_node (nothing open may hold a read-only remount back), make the folder read-only, start it
    await stack.supervisor.stop('data_node');
    const ro = sh('mount', '-o', 'remount,ro,bind', mnt);
    expect(ro.err).toBe('');
    expect(() => fs.writeFileSync(path.join(dataDir, 'probe'), 'x')).toThrow(/EROFS/);
    await stack.supervisor.start('data_node');

    expect(await health(stack)).toMatchObject({
      status: 200,
      body: { status: 'degraded', reason: expect.stringMatching(/DATA_DIR is read-only|cannot be opened for writing/) },
    });
    await expectReadsWork(stack, token);
    expectStorageRefusal(await signIn(stack), /^storage not writable/);
    await waitFor(() => dataStatus(stack!).degraded, 5000);

    expect(sh('mount', '-o', 'remount,rw,bind', mnt).err).toBe('');
    const writableAt = Date.now();
    await waitFor(async () => (await signIn(stack!)).status === 200, 10_000, 200);
    expect(Date.now() - writableAt).toBeLessThan(10_000);
    expect((await health(stack)).body.status).toBe('healthy');
    await expectReadsWork(stack, token); // the session made before is still there
  });
});
