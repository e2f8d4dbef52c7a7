import { describe, expect, it } from 'vitest';
import { externalLinkDecision, linkPolicyFromEnv, LinkPolicyError } from './external-links.js';
import { navigationDecision, windowOpenDecision } from './navigation.js';

const policy = linkPolicyFromEnv({ DESKTOP_LINK_ORIGINS: 'https://docs.example.edu, https://help.example.edu/' });

describe('externalLinkDecision', () => {
  it('opens https links to allow-listed origins, and plain mailto: addresses', () => {
    expect(externalLinkDecision('https://docs.example.edu/guide?x=1#top', policy)).toEqual({
      open: true,
      url: 'https://docs.example.edu/guide?x=1#top',
    });
    expect(externalLinkDecision('https://help.example.edu', policy)).toEqual({
      open: true,
      url: 'https://help.example.edu/',
    });
    expect(externalLinkDecision('mailto:alice@example.edu', policy)).toEqual({
      open: true,
      url: 'mailto:alice@example.edu',
    });
  });

  it.each([
    ['an origin not on the list', 'https://evil.example/', 'https://evil.example is not on the allow-list'],
    [
      'a look-alike subdomain',
      'https://docs.example.edu.evil.example/',
      'https://docs.example.edu.evil.example is not on the allow-list',
    ],
    [
      'another port of a listed host',
      'https://docs.example.edu:8443/',
      'https://docs.example.edu:8443 is not on the allow-list',
    ],
    ['credentials that hide the real host', 'https://docs.example.edu@evil.example/', 'credentials in the URL'],
    ['credentials on a listed host', 'https://user:pw@docs.example.edu/', 'credentials in the URL'],
    ['plain http to a listed host', 'http://docs.example.edu/', 'http: links are not opened'],
    ['a local file', 'file:///etc/passwd', 'file: links are not opened'],
    ['a network share', 'smb://server/share', 'smb: links are not opened'],
    ['script', 'javascript:alert(1)', 'javascript: links are not opened'],
    ['a protocol handler', 'ms-msdt:/id PCWDiagnostic', 'ms-msdt: links are not opened'],
    ['mailto with extra headers', 'mailto:a@example.edu?attach=/etc/passwd', 'mailto: must be one plain address'],
    ['mailto to several people', 'mailto:a@example.edu,b@example.edu', 'mailto: must be one plain address'],
    ['not a URL', 'docs.example.edu', 'not a URL'],
    ['something far too long', `https://docs.example.edu/${'x'.repeat(2100)}`, 'too long'],
  ])('refuses %s', (_label, url, reason) => {
    expect(externalLinkDecision(url, policy)).toEqual({ open: false, reason });
  });

  it('with no DESKTOP_LINK_ORIGINS, no https link leaves the app', () => {
    const none = linkPolicyFromEnv({});
    expect(none.httpsOrigins.size).toBe(0);
    expect(externalLinkDecision('https://docs.example.edu/', none).open).toBe(false);
  });

  it.each(['http://docs.example.edu', 'https://docs.example.edu/guide', 'docs.example.edu', 'https://*.example.edu'])(
    'DESKTOP_LINK_ORIGINS refuses %s with one line',
    (entry) => {
      expect(() => linkPolicyFromEnv({ DESKTOP_LINK_ORIGINS: entry })).toThrow(LinkPolicyError);
      expect(() => linkPolicyFromEnv({ DESKTOP_LINK_ORIGINS: entry })).toThrow(
        `DESKTOP_LINK_ORIGINS: ${JSON.stringify(entry)} is not an https origin (like https://docs.example.edu)`,
      );
    },
  );
});

describe('navigation and new windows', () => {
  it('navigation stays inside app://console; an allowed link leaves through the system browser', () => {
    expect(navigationDecision('app://console/#/users', policy)).toEqual({ allow: true, openExternally: null });
    expect(navigationDecision('https://docs.example.edu/a', policy)).toEqual({
      allow: false,
      openExternally: 'https://docs.example.edu/a',
    });
    expect(navigationDecision('https://evil.example/', policy)).toEqual({ allow: false, openExternally: null });
    expect(navigationDecision('file:///etc/passwd', policy)).toEqual({ allow: false, openExternally: null });
  });

  it('window.open never opens a window, not even for our own pages', () => {
    expect(windowOpenDecision('app://console/', policy)).toEqual({ allow: false, openExternally: null });
    expect(windowOpenDecision('https://docs.example.edu/a', policy)).toEqual({
      allow: false,
      openExternally: 'https://docs.example.edu/a',
    });
    expect(windowOpenDecision('https://evil.example/', policy)).toEqual({ allow: false, openExternally: null });
  });
});
