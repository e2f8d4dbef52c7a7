// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { Server } from 'socket.io';
import { ApiClient } from '../api/client';
import { installApi } from '../api/instance';
import { MemoryTransport } from '../testing/memory-transport';
import { useRealtimeStore } from './realtime';
import { useSessionStore } from './session';

/** A real Socket.IO server whose auth middleware can be told to refuse, as realtime's does. */
function startServer(port = 0): { io: Server; port: () => number; refuse: { on: boolean } } {
  const io = new Server();
  const refuse = { on: false };
  io.of('/admin').use((socket, next) => {
    const auth = socket.handshake.auth as { token?: string };
    if (refuse.on || auth.token !== 'tok') return next(new Error('auth unavailable'));
    next();
  });
  io.listen(port);
  return { io, port: () => (io.httpServer.address() as { port: number }).port, refuse };
}

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('useRealtimeStore recovery', () => {
  let server: ReturnType<typeof startServer>;

  beforeEach(() => {
    setActivePinia(createPinia());
    installApi(new ApiClient(new MemoryTransport()));
    server = startServer();
    const session = useSessionStore();
    session.appInfo = { mode: 'server', version: 't', realtimeUrl: `http://127.0.0.1:${server.port()}` };
    session.token = 'tok';
  });

  afterEach(async () => {
    useRealtimeStore().closeAll();
    await server.io.close();
  });

  it('reconnects by itself after the server disconnects every socket, and tells onReconnect listeners', async () => {
    const rt = useRealtimeStore();
    let reconnects = 0;
    const s = rt.socket('/admin');
    rt.onReconnect('/admin', () => reconnects++);
    await until(() => rt.state('/admin') === 'live');
    expect(reconnects).toBe(0);

    // What realtime's shutdown does: socket.io-client never retries after this on its own.
    server.io.of('/admin').disconnectSockets(true);
    await until(() => rt.state('/admin') !== 'live');
    await until(() => rt.state('/admin') === 'live');
    expect(s.connected).toBe(true);
    expect(reconnects).toBe(1);
  });

  it('keeps retrying when the server refuses the handshake for a while (auth briefly unavailable)', async () => {
    const rt = useRealtimeStore();
    rt.socket('/admin');
    await until(() => rt.state('/admin') === 'live');
    server.refuse.on = true;
    server.io.of('/admin').disconnectSockets(true);
    await until(() => rt.state('/admin') === 'down');
    await new Promise((r) => setTimeout(r, 1000));
    expect(rt.links['/admin']!.attempts).toBeGreaterThan(1);
    server.refuse.on = false;
    await until(() => rt.state('/admin') === 'live', 4000);
  });

  it('stops retrying after sign-out', async () => {
    const rt = useRealtimeStore();
    const s = rt.socket('/admin');
    await until(() => rt.state('/admin') === 'live');
    server.io.of('/admin').disconnectSockets(true);
    rt.closeAll();
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.connected).toBe(false);
    expect(server.io.of('/admin').sockets.size).toBe(0);
  });
});
