import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdentityPaths, type DataResolveSessionResponse } from '../../../contracts/auth.js';
import { buildDataApp } from '../app.js';

// POST /identity/sessions/resolve-batch on a real data app and SQLite file, through inject.
const TOKEN = 'c'.repeat(64);
let dir: string;
let built: Awaited<ReturnType<typeof buildDataApp>>;

async function post(url: string, payload: unknown) {
  const res = await built.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { 'x-internal-token': TOKEN },
  });
  return { status: res.statusCode, body: res.json() };
}
async function seed(...names: string[]): Promise<number[]> {
  const users = names.map((username) => ({
    role: 'student',
    username,
    name: username,
    group: 'cs',
    passwordHash: 'x',
  }));
  const res = await post(IdentityPaths.usersBulk, { users });
  expect(res.status).toBe(200);
  return res.body.results.map((r: { id: number }) => r.id);
}
const mint = async (userId: number): Promise<string> => (await post(IdentityPaths.sessions, { userId })).body.token;
const sessionCount = () => built.db.prepare('SELECT COUNT(*) FROM sessions').pluck().get() as number;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-sbt-'));
  built = await buildDataApp({ config: { dataDir: dir, internalToken: TOKEN } });
});
afterEach(async () => {
  await built.app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('POST /identity/sessions/resolve-batch', () => {
  it('answers valid, expired, disabled and unknown tokens of one batch in order, as resolve would', async () => {
    const [live, idle, absolute, disabled] = await seed('live', 'idle', 'absolute', 'disabled');
    const [tLive, tIdle, tAbs, tDis] = [
      await mint(live!),
      await mint(idle!),
      await mint(absolute!),
      await mint(disabled!),
    ];
    built.db.prepare('UPDATE sessions SET idle_expires_at = ? WHERE user_id = ?').run(Date.now() - 1, idle);
    built.db.prepare('UPDATE sessions SET absolute_expires_at = ? WHERE user_id = ?').run(Date.now() - 1, absolute);
    // disabled without going through PUT (which would delete the session): the lookup itself must refuse it
    built.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(disabled);

    const res = await post(IdentityPaths.sessionsResolveBatch, {
      tokens: [tIdle, tLive, 'never-issued', tDis, tAbs, tLive],
    });
    expect(res.status).toBe(200);
    const names = (res.body.results as (DataResolveSessionResponse | null)[]).map((r) => r?.user.username ?? null);
    expect(names).toEqual([null, 'live', null, null, null, 'live']);
    expect(res.body.results[1].expiresAt).toEqual(expect.any(String));

    // the two expired sessions were deleted by the batch; the disabled user's stays (as with resolve)
    expect(sessionCount()).toBe(2);
    for (const token of [tIdle, tAbs, tDis])
      expect((await post(IdentityPaths.sessionsResolve, { token })).status).toBe(401);
    expect((await post(IdentityPaths.sessionsResolve, { token: tLive })).status).toBe(200);
  });

  it('refuses more than 1000 tokens, an empty list and bad tokens with 400, touching nothing', async () => {
    const [id] = await seed('many');
    const token = await mint(id!);
    built.db.prepare('UPDATE sessions SET idle_expires_at = ?').run(Date.now() - 1);
    for (const tokens of [Array.from({ length: 1001 }, () => token), [], [''], ['x'.repeat(257)]]) {
      const res = await post(IdentityPaths.sessionsResolveBatch, { tokens });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(sessionCount()).toBe(1);
    const full = await post(IdentityPaths.sessionsResolveBatch, { tokens: Array.from({ length: 1000 }, () => token) });
    expect(full.status).toBe(200);
    expect(full.body.results).toHaveLength(1000);
    expect(full.body.results.every((r: unknown) => r === null)).toBe(true);
    expect(sessionCount()).toBe(0);
  });
});
