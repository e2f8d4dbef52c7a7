import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isConsoleUrl, isTrustedSender } from './app-origin.js';

describe('isConsoleUrl', () => {
  it.each(['app://console/', 'app://console', 'app://console/index.html', 'app://console/#/users?tab=2'])(
    'accepts our page %s',
    (url) => expect(isConsoleUrl(url)).toBe(true),
  );

  it.each([
    ['a look-alike host', 'app://console.evil/'],
    ['credentials before another host', 'app://console@evil/'],
    ['another host with our name in the path', 'app://evil/console/'],
    ['a port', 'app://console:8080/'],
    ['https with our host name', 'https://console/'],
    ['the gateway in a browser', 'http://127.0.0.1:8000/'],
    ['a local file', 'file:///opt/app/console/index.html'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['a data URL', 'data:text/html,<script>1</script>'],
    ['about:blank', 'about:blank'],
    ['not a URL', 'app console'],
    ['empty', ''],
    ['no URL at all', undefined],
    ['a destroyed frame', null],
  ])('refuses %s', (_label, url) => expect(isConsoleUrl(url)).toBe(false));
});

describe('isTrustedSender', () => {
  it('trusts only the console page in the top frame', () => {
    expect(isTrustedSender({ url: `${APP_ORIGIN}/`, isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: `${APP_ORIGIN}/`, isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});
