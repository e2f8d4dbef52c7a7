import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultSocketDir, loadConfig } from './config.js';

describe('loadConfig defaults', () => {
  const c = loadConfig({});

  it('uses ports 8001–8005 for the course services, 7000 for realtime, 8000 for the gateway', () => {
    expect(c.ports).toEqual({
      data_node: 8001,
      auth_node: 8002,
      teacher_node: 8003,
      student_node: 8004,
      queue_node: 8005,
      realtime: 7000,
    });
    expect(c.gatewayPort).toBe(8000);
  });

  it('binds 127.0.0.1, listens on sockets too, and has no URLs or token of its own', () => {
    expect(c.host).toBe('127.0.0.1');
    expect(c.useSockets).toBe(true);
    expect(c.urls).toEqual({});
    expect(c.internalToken).toBe('');
  });

  it('puts SOCKET_DIR in XDG_RUNTIME_DIR, else in a per-user folder in tmp', () => {
    expect(loadConfig({ XDG_RUNTIME_DIR: '/run/user/1000' }).socketDir).toBe('/run/user/1000/course-selection');
    const uid = process.getuid?.() ?? os.userInfo().username;
    expect(loadConfig({}).socketDir).toBe(path.join(os.tmpdir(), `course-selection-${uid}`));
    expect(defaultSocketDir({})).toBe(path.join(os.tmpdir(), `course-selection-${uid}`));
  });

  it('puts DATA_DIR in XDG_DATA_HOME, else in ~/.local/share', () => {
    expect(loadConfig({ XDG_DATA_HOME: '/xdg/data' }).dataDir).toBe('/xdg/data/course-selection');
    expect(loadConfig({}).dataDir).toBe(path.join(os.homedir(), '.local', 'share', 'course-selection'));
  });

  it('is frozen, all the way down', () => {
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.ports)).toBe(true);
    expect(Object.isFrozen(c.urls)).toBe(true);
    expect(() => ((c as { host: string }).host = '0.0.0.0')).toThrow(TypeError);
    expect(() => ((c.ports as Record<string, number>).data_node = 1)).toThrow(TypeError);
    expect(c.host).toBe('127.0.0.1');
  });
});

describe('loadConfig environment overrides', () => {
  it('takes every port, HOST, USE_SOCKETS, folders, URLs and the token from the environment', () => {
    const c = loadConfig({
      DATA_NODE_PORT: '9001',
      AUTH_NODE_PORT: '9002',
      TEACHER_NODE_PORT: '9003',
      STUDENT_NODE_PORT: '9004',
      QUEUE_NODE_PORT: '9005',
      SOCKETIO_PORT: '9000',
      GATEWAY_PORT: '0',
      HOST: '0.0.0.0',
      USE_SOCKETS: 'false',
      SOCKET_DIR: 'relative/socks',
      DATA_DIR: '/srv/data',
      DATA_NODE_URL: 'http://data-service:8001/',
      INTERNAL_TOKEN: 't'.repeat(64),
    });
    expect(c.ports).toEqual({
      data_node: 9001,
      auth_node: 9002,
      teacher_node: 9003,
      student_node: 9004,
      queue_node: 9005,
      realtime: 9000,
    });
    expect(c.gatewayPort).toBe(0);
    expect(c.host).toBe('0.0.0.0');
    expect(c.useSockets).toBe(false);
    expect(c.socketDir).toBe(path.resolve('relative/socks'));
    expect(c.dataDir).toBe('/srv/data');
    expect(c.urls).toEqual({ data_node: 'http://data-service:8001' });
    expect(c.internalToken).toBe('t'.repeat(64));
  });

  it.each(['1', 'true', 'YES', 'on'])('USE_SOCKETS=%s is on', (v) =>
    expect(loadConfig({ USE_SOCKETS: v }).useSockets).toBe(true),
  );
  it.each(['0', 'false', 'No', 'off'])('USE_SOCKETS=%s is off', (v) =>
    expect(loadConfig({ USE_SOCKETS: v }).useSockets).toBe(false),
  );

  it('treats empty variables as unset', () => {
    const c = loadConfig({ HOST: '', DATA_NODE_PORT: '', USE_SOCKETS: '' });
    expect([c.host, c.ports.data_node, c.useSockets]).toEqual(['127.0.0.1', 8001, true]);
  });

  it.each([
    [{ DATA_NODE_PORT: 'eighty' }, 'DATA_NODE_PORT=eighty is not a port number (0-65535)'],
    [{ SOCKETIO_PORT: '70000' }, 'SOCKETIO_PORT=70000 is not a port number (0-65535)'],
    [{ GATEWAY_PORT: '-1' }, 'GATEWAY_PORT=-1 is not a port number (0-65535)'],
    [{ QUEUE_NODE_PORT: '80.5' }, 'QUEUE_NODE_PORT=80.5 is not a port number (0-65535)'],
    [{ USE_SOCKETS: 'maybe' }, 'USE_SOCKETS=maybe is not true or false'],
    [{ AUTH_NODE_URL: 'auth-service' }, 'AUTH_NODE_URL=auth-service is not a URL'],
    [
      { INTERNAL_TOKEN: 'short' },
      'INTERNAL_TOKEN is 5 characters; it must be at least 32 (it guards the internal routes)',
    ],
  ])('refuses %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
