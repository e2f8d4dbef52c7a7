import { ConfigError, loadConfig } from '../shared/config.js';
import type { ServiceName } from '../contracts/services.js';
import { failure } from './cli-error.js';
import type { ErrorBody } from '../contracts/errors.js';
import {
  pathOf,
  type InputArgs,
  type Route,
  type RouteInput,
  type RouteSchema,
  type SuccessBody,
} from '../contracts/route.js';
import type { Api, ApiResponse, RequestOptions } from './connection/api.js';
import { NOT_LOGGED_IN, SESSION_EXPIRED, responseError, transportError } from './connection/describe-error.js';
import { normaliseBaseUrl } from './connection/target.js';
import { colorsEnabled, createColors, type Colors } from './output/colors.js';
import { SessionStore, type SavedSession } from './session-store.js';

export interface CliIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

/** What every command gets: streams, colours, the session file and the connection. */
export class CliContext {
  readonly colors: Colors;
  readonly store: SessionStore;
  private apiInstance: Api | null = null;
  private urlOption: string | undefined;

  constructor(readonly io: CliIo) {
    this.colors = createColors(colorsEnabled(io.stdout, io.env));
    this.store = new SessionStore(io.env);
  }

  /** Set from the global --url before a command runs. */
  useUrl(url: string | undefined): void {
    this.urlOption = url;
  }

  /** 'local', or the --url / COURSE_CLI_URL base (--url wins): where sessions belong. */
  get target(): string {
    const raw = this.urlOption ?? (this.io.env.COURSE_CLI_URL || undefined);
    return raw ? normaliseBaseUrl(raw) : 'local';
  }

  /**
   * The connection, loaded on first use: undici and the contracts are most of the start-up
   * time, and --help or a usage error needs neither.
   */
  async api(): Promise<Api> {
    if (this.apiInstance) return this.apiInstance;
    const target = this.target;
    if (target !== 'local') {
      const { RemoteApi } = await import('./connection/remote-api.js');
      this.apiInstance = new RemoteApi(target);
      return this.apiInstance;
    }
    let config;
    try {
      config = loadConfig(this.io.env);
    } catch (err) {
      if (err instanceof ConfigError) throw failure(err.message);
      throw err;
    }
    const { LocalApi } = await import('./connection/local-api.js');
    this.apiInstance = new LocalApi(config);
    return this.apiInstance;
  }

  out(text = ''): void {
    this.io.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** Progress and notes go to stderr so stdout stays clean for scripts. */
  note(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** The saved session, checked for expiry and for the place it belongs to. */
  requireSession(): SavedSession {
    const session = this.store.read();
    if (!session) throw failure(NOT_LOGGED_IN);
    if (Date.parse(session.expiresAt) <= Date.now()) throw failure(SESSION_EXPIRED);
    if (session.target !== this.target) {
      throw failure(`the saved session is for ${session.target}, not ${this.target}: run course-cli user login`);
    }
    return session;
  }

  /** One call with the session's token; any non-2xx becomes a one-line CliError. */
  async call<R extends Route<RouteSchema, ServiceName>>(
    route: R,
    ...[input]: InputArgs<R, { timeoutMs?: number }>
  ): Promise<SuccessBody<R>> {
    const session = this.requireSession();
    const res = await this.send(route, { ...(input as RouteInput<R>), token: session.token });
    if (res.statusCode >= 200 && res.statusCode < 300) return res.body as SuccessBody<R>;
    throw responseError(route.service, res.statusCode, res.body);
  }

  /** A request whose error answers the caller handles (login, logout, bulk import). */
  async send<R extends Route<RouteSchema, ServiceName>>(
    route: R,
    input: RouteInput<R> & RequestOptions,
  ): Promise<ApiResponse<SuccessBody<R> | ErrorBody>> {
    const { params, query, body, ...opts } = input as {
      params?: object;
      query?: object;
      body?: unknown;
    } & RequestOptions;
    const payload =
      body ?? (route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH' ? {} : undefined);
    try {
      return await (await this.api()).request(route.method, route.service, pathOf(route, params, query), payload, opts);
    } catch (err) {
      throw transportError(err, this.target) ?? err;
    }
  }

  async close(): Promise<void> {
    await this.apiInstance?.close();
  }
}
