import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/config.js';
import { loadRealtimeConfig } from './realtime-config.js';

const load = (env: Record<string, string>) => loadRealtimeConfig(env, 8123);

describe('realtime config', () => {
  it('without any origin list, the console (gateway) origins are allowed', () => {
    expect(load({}).allowedOrigins).toEqual(['http://127.0.0.1:8123', 'http://localhost:8123']);
  });

  it("merges REALTIME_ALLOWED_ORIGINS with the seeds' SOCKETIO_CORS_ORIGINS and ALLOWED_ORIGINS", () => {
    const rc = load({
      REALTIME_ALLOWED_ORIGINS: 'app://console',
      SOCKETIO_CORS_ORIGINS: 'http://a.example/, http://b.example',
      ALLOWED_ORIGINS: 'http://localhost:3000,http://a.example',
    });
    expect(rc.allowedOrigins).toEqual([
      'app://console',
      'http://a.example',
      'http://b.example',
      'http://localhost:3000',
    ]);
  });

  it('an alias alone replaces the default, and the old `*` is kept as any origin', () => {
    expect(load({ ALLOWED_ORIGINS: 'http://x.example' }).allowedOrigins).toEqual(['http://x.example']);
    expect(load({ SOCKETIO_CORS_ORIGINS: '*' }).allowedOrigins).toEqual(['*']);
  });

  it('course watch cap and presence TTL have defaults and are range-checked', () => {
    expect(load({})).toMatchObject({ maxWatchedCourses: 500, presenceTtlMs: 30_000 });
    expect(load({ REALTIME_MAX_WATCHED_COURSES: '5', REALTIME_PRESENCE_TTL_MS: '2000' })).toMatchObject({
      maxWatchedCourses: 5,
      presenceTtlMs: 2000,
    });
    expect(() => load({ REALTIME_MAX_WATCHED_COURSES: '0' })).toThrow(ConfigError);
    expect(() => load({ REALTIME_PRESENCE_TTL_MS: '10' })).toThrow(
      /REALTIME_PRESENCE_TTL_MS=10 must be an integer from 1000/,
    );
  });

  it('sockets per user: 10 by default, configurable, at least 1', () => {
    expect(load({}).maxSocketsPerUser).toBe(10);
    expect(load({ REALTIME_MAX_SOCKETS_PER_USER: '3' }).maxSocketsPerUser).toBe(3);
    expect(() => load({ REALTIME_MAX_SOCKETS_PER_USER: '0' })).toThrow(
      /REALTIME_MAX_SOCKETS_PER_USER=0 must be an integer from 1/,
    );
  });
});
