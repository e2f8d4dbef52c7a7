import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { CourseSeatsEvent } from '@contracts/realtime';
import { startLiveServer, until, type LiveServer } from '../testing/live-server';
import { signedIn } from '../testing/signed-in';
import { useAccountStore } from './account';
import { useLiveStore } from './live';

describe('useLiveStore: the live links, and never a false "live"', () => {
  let server: LiveServer;
  let watches: number[][];

  beforeEach(async () => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    server = await startLiveServer();
    server.tokens.add('tok-live');
    watches = [];
    server.onConnection('/courses', (s) =>
      s.on('course:watch', (p: { courseIds: number[] }) => watches.push(p.courseIds)),
    );
    await signedIn(3, 'tok-live');
  });
  afterEach(async () => {
    useLiveStore().closeAll();
    await server.close();
  });

  it('connects with the session token; the first connect is not news', async () => {
    const live = useLiveStore();
    live.socket('/courses');
    expect(live.state('/courses')).toBe('connecting');
    expect(live.notLive('/courses')).toBe(false); // a page just loaded: its HTTP data is fresh
    await until(() => live.state('/courses') === 'live');
    expect(server.connected('/courses')[0]!.handshake.auth.token).toBe('tok-live');
    expect(live.notLive('/courses')).toBe(false);
    expect(live.lastLiveAt['/courses']).toBeUndefined();
  });

  it('a lost link is "not live" from the moment it dropped, reconnects by itself, and re-watches', async () => {
    const live = useLiveStore();
    let reconnects = 0;
    live.whenReconnected('/courses', () => reconnects++);
    live.watchCourses([4, 5]);
    await until(() => watches.length === 1);
    expect(watches[0]).toEqual([4, 5]);

    const before = Date.now();
    await server.stop();
    await until(() => live.notLive('/courses'));
    expect(live.lastLiveAt['/courses']).toBeGreaterThanOrEqual(before);
    await until(() => live.state('/courses') === 'down'); // tries, and says it cannot connect
    expect(live.notLive('/courses')).toBe(true);
    expect(reconnects).toBe(0);

    await server.start();
    await until(() => live.state('/courses') === 'live', 10_000);
    expect(live.notLive('/courses')).toBe(false);
    expect(live.lastLiveAt['/courses']).toBeUndefined();
    expect(reconnects).toBe(1); // the stores re-read what was pushed while it was down
    await until(() => watches.length === 2);
    expect(watches[1]).toEqual([4, 5]); // rooms are per connection: watched again
  }, 20_000);

  it('a refusal in the server middleware is retried by the store (socket.io would give up)', async () => {
    server.tokens.clear(); // e.g. auth_node restarting: the session cannot be checked
    const live = useLiveStore();
    live.socket('/');
    await until(() => live.state('/') === 'down');
    expect(live.notLive('/')).toBe(true);
    expect(live.lastLiveAt['/']).toBeUndefined(); // never live: no age to give
    server.tokens.add('tok-live');
    await until(() => live.state('/') === 'live', 8000);
  }, 15_000);

  it('a socket the server ended on purpose (too many tabs) says "closed", not "reconnecting", and stays so', async () => {
    const live = useLiveStore();
    live.socket('/');
    await until(() => live.state('/') === 'live');
    server.kick('/');
    await until(() => live.notLive('/'));
    expect(live.state('/')).toBe('closed');
    await new Promise((r) => setTimeout(r, 3500)); // no ping-pong with the tab that took its place
    expect(live.state('/')).toBe('closed');
    expect(server.connected('/')).toHaveLength(0);
  }, 15_000);

  it('a refused link is not retried once the session has ended; closeAll leaves nothing open', async () => {
    server.tokens.clear();
    const live = useLiveStore();
    live.socket('/');
    await until(() => live.state('/') === 'down');
    useAccountStore().expire();
    server.tokens.add('tok-live'); // would be accepted, but there is no session to send
    await new Promise((r) => setTimeout(r, 3500));
    expect(server.connected('/')).toHaveLength(0);
    expect(live.state('/')).toBe('down');
    live.closeAll();
    expect(live.state('/')).toBe('idle');
    expect(live.notLive('/')).toBe(false);
  }, 15_000);

  it('seat counts pass through; a payload without a course id is dropped', async () => {
    const live = useLiveStore();
    const seen: CourseSeatsEvent[] = [];
    live.onSeats((e) => seen.push(e));
    await until(() => live.state('/courses') === 'live');
    server.emit('/courses', 'course:seats', { seatsLeft: 1 });
    server.emit('/courses', 'course:seats', { courseId: 5, seatsLeft: 2, enrolled: 8, capacity: 10 });
    await until(() => seen.length === 1);
    expect(seen).toEqual([{ courseId: 5, seatsLeft: 2, enrolled: 8, capacity: 10 }]);
  });
});
