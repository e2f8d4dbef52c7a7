import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/config.js';
import { loadAuthSettings } from './settings.js';

describe('auth settings', () => {
  it('REQUIRE_ADMIN_2FA is off on loopback by default, on when set, and forced off loopback', () => {
    expect(loadAuthSettings({}, '127.0.0.1').requireAdmin2fa).toBe(false);
    expect(loadAuthSettings({ REQUIRE_ADMIN_2FA: 'true' }, '127.0.0.1').requireAdmin2fa).toBe(true);
    expect(loadAuthSettings({ REQUIRE_ADMIN_2FA: 'false' }, '0.0.0.0').requireAdmin2fa).toBe(true);
    expect(loadAuthSettings({}, '192.168.1.10').requireAdmin2fa).toBe(true);
  });

  it('refuses nonsense and weak ADMIN_PASSWORD with one clear line', () => {
    expect(() => loadAuthSettings({ REQUIRE_ADMIN_2FA: 'maybe' }, '127.0.0.1')).toThrow(ConfigError);
    expect(() => loadAuthSettings({ ADMIN_PASSWORD: 'short' }, '127.0.0.1')).toThrow(/ADMIN_PASSWORD: .*at least 8/);
    // the password rule's shape checks hold for the env var as for any password
    expect(() => loadAuthSettings({ ADMIN_PASSWORD: 'myadmin-2026-x' }, '127.0.0.1')).toThrow(/contains the username/);
    expect(() => loadAuthSettings({ ADMIN_PASSWORD: 'tab\there-123' }, '127.0.0.1')).toThrow(/control character/);
    expect(loadAuthSettings({ ADMIN_PASSWORD: 'quiet-harbour-lamp' }, '127.0.0.1').adminPassword).toBe(
      'quiet-harbour-lamp',
    );
    expect(() => loadAuthSettings({ LOGIN_FREE_FAILURES: '-1' }, '127.0.0.1')).toThrow(/LOGIN_FREE_FAILURES/);
    expect(loadAuthSettings({ ADMIN_PASSWORD: '' }, '127.0.0.1').adminPassword).toBeUndefined();
  });

  it('session lifetimes default to 30 min idle / 12 h absolute and follow the environment', () => {
    expect(loadAuthSettings({}, '127.0.0.1')).toMatchObject({
      sessionIdleSeconds: 1800,
      sessionAbsoluteSeconds: 43_200,
    });
    expect(loadAuthSettings({ SESSION_IDLE_MINUTES: '120', SESSION_ABSOLUTE_HOURS: '24' }, '127.0.0.1')).toMatchObject({
      sessionIdleSeconds: 7200,
      sessionAbsoluteSeconds: 86_400,
    });
  });
});
