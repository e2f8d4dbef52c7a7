import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_METHODS, type RouteOwner } from '../contracts/route.js';
import { buildAuthApp } from '../services/auth/app.js';
import { buildDataApp } from '../services/data/app.js';
import { buildQueueApp } from '../services/queue/app.js';
import { createSelectionEvents } from '../services/queue/selection-events.js';
import { buildRealtime } from '../services/realtime/app.js';
import { buildStudentApp } from '../services/student/app.js';
import { buildTeacherApp } from '../services/teacher/app.js';
import { loadConfig } from '../shared/config.js';
import type { App } from '../shared/create-app.js';
import { createRealtimePublisher } from '../shared/realtime-publisher.js';
import { registeredRoutes } from '../shared/route-registry.js';
import { ServiceClient } from '../shared/service-client.js';
import { createSessionResolver } from '../shared/session-auth.js';
import { DOCUMENTED } from './api-docs.js';
import { buildGatewayApp } from './app.js';
import { ConsoleDispatcher } from './dispatch.js';
import { buildOpenApi, type OpenApiDocument } from './openapi.js';

/** `/a/:id` as OpenAPI writes it: `/a/{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z_]\w*)/g, '{$1}');
const METHODS = HTTP_METHODS.map((m) => m.toLowerCase());

/** "METHOD /path" for every operation of the document tagged with `owner`. */
function documented(doc: OpenApiDocument, owner: string): string[] {
  const ops: string[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m] as { tags?: string[] } | undefined;
      if (op?.tags?.includes(owner)) ops.push(`${m.toUpperCase()} ${p}`);
    }
  }
  return ops.sort();
}

/**
 * What each real app registered (Fastify's onRoute hook, not the tables) that a user can call,
 * at its gateway path: not internal-only. `hidden` routes (the docs UI's files, the gateway's
 * proxy and static catch-alls) need no entry of their own, but may back one (/api/docs).
 */
function reachable(app: App, owner: RouteOwner, withHidden: boolean): string[] {
  const prefix = owner === 'gateway' ? '' : `/api/${owner}`;
  return registeredRoutes(app)
    .filter((r) => r.access !== 'internal' && (withHidden || !r.hidden))
    .map((r) => `${r.method} ${openApiPath(prefix + r.url)}`)
    .sort();
}

describe('the OpenAPI document', () => {
  const TOKEN = 'c'.repeat(64);
  let tmp: string;
  let doc: OpenApiDocument;
  const apps = new Map<RouteOwner, App>();
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-oa-'));
    const config = loadConfig({
      SOCKET_DIR: path.join(tmp, 's'),
      DATA_DIR: tmp,
      INTERNAL_TOKEN: TOKEN,
      USE_SOCKETS: 'false',
    });
    const client = new ServiceClient({ config });
    closers.push(() => client.close());
    const resolver = createSessionResolver(client);
    // every app as main.ts builds it; none listens and none is called
    apps.set('data_node', (await buildDataApp({ config })).app);
    apps.set('auth_node', (await buildAuthApp({ config, client })).app);
    apps.set('teacher_node', await buildTeacherApp({ client, internalToken: TOKEN, resolver }));
    apps.set('student_node', await buildStudentApp({ client, internalToken: TOKEN, resolver }));
    const events = createSelectionEvents(createRealtimePublisher(client));
    apps.set('queue_node', (await buildQueueApp({ client, internalToken: TOKEN, events })).app);
    const rt = buildRealtime({ config, client });
    closers.push(() => rt.close());
    apps.set('realtime', rt.app);
    apps.set(
      'gateway',
      buildGatewayApp({
        config,
        dispatcher: new ConsoleDispatcher({ client, resolver }),
        staticDir: null,
        appInfo: { mode: 'server', version: 't', realtimeUrl: '' },
      }),
    );
    for (const app of apps.values()) await app.ready();
    doc = await buildOpenApi(DOCUMENTED, 't');
  }, 60_000);
  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    for (const close of closers) await close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is OpenAPI 3.1 at the gateway paths a user calls', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/auth_node/login/admin']?.post).toBeDefined();
    expect(doc.paths['/api/auth_node/admin/users/{id}']?.delete).toBeDefined();
    expect(doc.paths['/api/student_node/student/course/select']?.post).toMatchObject({
      responses: { 200: expect.anything(), 202: expect.anything() },
    });
    // internal routes are not in it
    expect(doc.paths['/api/auth_node/internal/sessions/resolve']).toBeUndefined();
    expect(doc.paths['/api/data_node/identity/users']).toBeUndefined();
  });

  it.each(['gateway', 'auth_node', 'teacher_node', 'student_node', 'data_node', 'queue_node', 'realtime'] as const)(
    'documents every public route %s registers, and nothing it does not',
    (owner) => {
      const inDoc = documented(doc, owner);
      const registered = reachable(apps.get(owner)!, owner, false);
      expect(registered.length).toBeGreaterThan(0);
      expect(
        registered.filter((r) => !inDoc.includes(r)),
        'registered but not documented',
      ).toEqual([]);
      const backed = reachable(apps.get(owner)!, owner, true);
      expect(
        inDoc.filter((d) => !backed.includes(d)),
        'documented but not registered',
      ).toEqual([]);
    },
  );

  it('documents the supervisor operations the dispatcher answers', () => {
    expect(documented(doc, 'supervisor')).toEqual([
      'GET /api/supervisor/logs',
      'GET /api/supervisor/status',
      'POST /api/supervisor/{service}/{op}',
    ]);
  });
});
