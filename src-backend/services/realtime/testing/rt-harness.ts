import { io, type Manager, type Socket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { afterAll, beforeAll } from 'vitest';
import { DataIdentityRoutes, type DataNewUser } from '../../../contracts/routes/data-identity.js';
import type { Role } from '../../../contracts/session.js';
import { startStack, type StackOptions, type TestStack } from '../../../testing/stack.js';

/** The realtime server with what it really needs: data_node (persistence) and auth_node (sessions). */
export function startRealtimeStack(opts: StackOptions = {}): Promise<TestStack> {
  return startStack({ services: ['data_node', 'auth_node', 'realtime'], ...opts });
}

export interface RealtimeSuite {
  /** set once the suite's beforeAll has run */
  readonly stack: TestStack;
  readonly url: string;
  /** close this socket when the suite ends */
  track(socket: Socket): Socket;
}

/** starting and stopping real process trees on a shared 2-core machine can be slow */
const SUITE_HOOK_TIMEOUT_MS = 120_000;

/** One realtime stack for a test file: started before its tests, stopped after, tracked sockets closed. */
export function realtimeSuite(opts: StackOptions = {}): RealtimeSuite {
  let stack: TestStack | undefined;
  const open: Socket[] = [];
  beforeAll(async () => {
    stack = await startRealtimeStack(opts);
  }, SUITE_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    for (const s of open) s.close();
    await stack?.stop();
  }, SUITE_HOOK_TIMEOUT_MS);
  return {
    get stack() {
      if (!stack) throw new Error('the realtime stack is not started yet (use it inside a test or hook)');
      return stack;
    },
    get url() {
      return this.stack.httpUrl('realtime');
    },
    track(socket) {
      open.push(socket);
      return socket;
    },
  };
}

export interface SeededUser {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly group: string | null;
  readonly token: string;
}

let seq = 0;

/** Real users in data_node and real session tokens, resolved by the real auth_node. */
export async function seedUsers(
  stack: TestStack,
  specs: ReadonlyArray<{ role: Role; group?: string | null }>,
): Promise<SeededUser[]> {
  const users: DataNewUser[] = specs.map((s) => {
    seq += 1;
    const username = `rt-${s.role}-${process.pid}-${seq}-${Math.random().toString(36).slice(2, 8)}`;
    return { role: s.role, username, name: username, group: s.group ?? null, passwordHash: 'seeded-without-password' };
  });
  const ins = await stack.client.call(DataIdentityRoutes.insertUsers, {
    body: {
      users,
      atomic: true,
    },
  });
  const ids = ins.results.map((r) => {
    if (r.id === undefined) throw new Error(`seeding ${r.username} failed: ${JSON.stringify(r.error)}`);
    return r.id;
  });
  const ses = await stack.client.call(DataIdentityRoutes.createSessions, {
    body: {
      userIds: ids,
    },
  });
  const tokenOf = new Map(ses.sessions.map((s) => [s.userId, s.token]));
  return ids.map((id, i) => ({
    id,
    username: users[i]!.username,
    role: specs[i]!.role,
    group: specs[i]!.group ?? null,
    token: tokenOf.get(id)!,
  }));
}

/** A real socket.io-client; resolves once connected, rejects with the connect_error message. */
export function connect(
  url: string,
  nsp: string,
  token: string | undefined,
  opts: Partial<ManagerOptions & SocketOptions> = {},
): Promise<Socket> {
  const socket = io(`${url}${nsp === '/' ? '' : nsp}`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: token === undefined ? {} : { token },
    ...opts,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`connect to ${nsp} timed out`));
    }, 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/** The next `event` on a socket (or its Manager), or a timeout error. */
export function next<T = unknown>(target: Socket | Manager, event: string, timeoutMs = 3000): Promise<T> {
  // both are typed emitters over reserved + user events; plain strings are what tests need
  const socket = target as unknown as {
    once(e: string, f: (d: T) => void): void;
    off(e: string, f: (d: T) => void): void;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (data: T) => {
      clearTimeout(timer);
      resolve(data);
    };
    socket.once(event, on);
  });
}

/** Emit with an ack and wait for it. */
export function ask<T = Record<string, unknown>>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  return socket.timeout(5000).emitWithAck(event, ...args) as Promise<T>;
}

/** Everything `socket` receives of `event`, for exact counts. */
export function collect<T = unknown>(socket: Socket, event: string): T[] {
  const got: T[] = [];
  socket.on(event, (d: T) => got.push(d));
  return got;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
