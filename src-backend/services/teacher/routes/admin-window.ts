import {
  ADMIN_COURSE_PATHS as P,
  CreditLimitResponse,
  DATA_COURSE_PATHS as D,
  EmptyRequest,
  SelectionWindow,
  SetCreditLimitRequest,
  SetSelectionWindowRequest,
} from '../../../contracts/courses.js';
import { errorResponses } from '../../../contracts/errors.js';
import type { App } from '../../../shared/create-app.js';
import type { ServiceClient } from '../../../shared/service-client.js';
import { requireRole, type SessionResolver } from '../../../shared/session-auth.js';
import { actorOf } from './actor.js';

export interface AdminWindowRouteOptions {
  readonly client: ServiceClient;
  readonly resolver: SessionResolver;
}

const ok = <T>(schema: T) => ({ 200: schema, ...errorResponses });

/** The selection window and credit limits: the console's Courses view opens and closes selection here. */
export async function adminWindowRoutes(app: App, opts: AdminWindowRouteOptions): Promise<void> {
  const { client } = opts;
  const admin = requireRole(opts.resolver, 'admin');
  // Teachers may see when selection runs; only admins change it.
  const anyStaff = requireRole(opts.resolver, 'admin', 'teacher');

  app.get(P.window, { preValidation: anyStaff, schema: { response: ok(SelectionWindow) } }, async () =>
    client.get<SelectionWindow>('data_node', D.window),
  );
  app.put(
    P.window,
    { preValidation: admin, schema: { body: SetSelectionWindowRequest, response: ok(SelectionWindow) } },
    async (req) => {
      const res = await client.put<SelectionWindow>('data_node', D.window, { actor: actorOf(req), window: req.body });
      req.log.info({ opensAt: res.opensAt, closesAt: res.closesAt, by: req.user?.username }, 'selection window set');
      return res;
    },
  );
  app.post(
    P.openWindow,
    { preValidation: admin, schema: { body: EmptyRequest, response: ok(SelectionWindow) } },
    async (req) => {
      const res = await client.post<SelectionWindow>('data_node', D.windowOpen, { actor: actorOf(req) });
      req.log.info({ by: req.user?.username }, 'selection window opened');
      return res;
    },
  );
  app.post(
    P.closeWindow,
    { preValidation: admin, schema: { body: EmptyRequest, response: ok(SelectionWindow) } },
    async (req) => {
      const res = await client.post<SelectionWindow>('data_node', D.windowClose, { actor: actorOf(req) });
      req.log.info({ by: req.user?.username }, 'selection window closed');
      return res;
    },
  );
  app.put(
    P.creditLimit,
    { preValidation: admin, schema: { body: SetCreditLimitRequest, response: ok(CreditLimitResponse) } },
    async (req) =>
      client.put<CreditLimitResponse>('data_node', D.creditLimit, { actor: actorOf(req), limit: req.body }),
  );
}
