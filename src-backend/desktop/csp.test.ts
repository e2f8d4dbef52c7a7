import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../gateway/app.js';
import { CspError, desktopCsp, parseCsp } from './csp.js';

describe('desktopCsp', () => {
  const csp = parseCsp(desktopCsp(CONSOLE_CSP, 'http://127.0.0.1:7000'));
  const base = parseCsp(CONSOLE_CSP);

  it('adds the realtime server (http and ws) to connect-src, and nothing else', () => {
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:7000', 'ws://127.0.0.1:7000']);
    for (const [name, sources] of base) if (name !== 'connect-src') expect(csp.get(name), name).toEqual(sources);
    expect([...csp.keys()]).toEqual([...base.keys()]);
  });

  it('keeps the console strict: no inline or eval, no plugins, no framing, no base tag', () => {
    expect(desktopCsp(CONSOLE_CSP, 'http://127.0.0.1:7000')).not.toMatch(/unsafe-|\*/);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('uses the origin of the realtime URL only, once', () => {
    const twice = parseCsp(
      desktopCsp(desktopCsp(CONSOLE_CSP, 'http://localhost:7100/socket.io/'), 'http://localhost:7100'),
    );
    expect(twice.get('connect-src')).toEqual(["'self'", 'http://localhost:7100', 'ws://localhost:7100']);
  });

  it.each([
    ['another machine', 'http://10.0.0.5:7000', 'realtime URL http://10.0.0.5:7000 is not a loopback http origin'],
    ['another scheme', 'ftp://127.0.0.1:7000', 'realtime URL ftp://127.0.0.1:7000 is not a loopback http origin'],
    ['not a URL', '127.0.0.1:7000', 'realtime URL "127.0.0.1:7000" is not a URL'],
  ])('refuses %s', (_label, url, message) => {
    expect(() => desktopCsp(CONSOLE_CSP, url)).toThrow(CspError);
    expect(() => desktopCsp(CONSOLE_CSP, url)).toThrow(message);
  });
});
