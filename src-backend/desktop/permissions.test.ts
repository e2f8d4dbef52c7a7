import { describe, expect, it } from 'vitest';
import { PermissionPolicy } from './permissions.js';

describe('PermissionPolicy', () => {
  it('denies every permission, logging each permission and origin once', () => {
    const log: string[] = [];
    const policy = new PermissionPolicy((l) => log.push(l));
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'midiSysex', 'openExternal', 'media'])
      expect(policy.request(p, 'app://console/#/status')).toBe(false);
    expect(policy.request('media', 'https://evil.example/page')).toBe(false);
    expect(policy.request('hid', undefined)).toBe(false);
    expect(log).toEqual([
      'desktop: denied permission "media" to app://console',
      'desktop: denied permission "geolocation" to app://console',
      'desktop: denied permission "notifications" to app://console',
      'desktop: denied permission "clipboard-read" to app://console',
      'desktop: denied permission "midiSysex" to app://console',
      'desktop: denied permission "openExternal" to app://console',
      'desktop: denied permission "media" to https://evil.example',
      'desktop: denied permission "hid" to an unknown page',
    ]);
  });

  it('answers permission checks with no, silently', () => {
    const log: string[] = [];
    const policy = new PermissionPolicy((l) => log.push(l));
    expect(policy.check()).toBe(false);
    expect(log).toEqual([]);
  });
});
