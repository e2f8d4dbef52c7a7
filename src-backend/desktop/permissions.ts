/**
 * The console needs no camera, microphone, geolocation, notifications, clipboard-read, MIDI,
 * HID, serial or USB: every permission request and check is refused. The request is logged
 * once per permission and origin, so a renderer that asks in a loop cannot flood the log.
 */
export class PermissionPolicy {
  private readonly logged = new Set<string>();

  constructor(private readonly log: (line: string) => void) {}

  /** session.setPermissionRequestHandler */
  request(permission: string, requestingUrl: string | undefined): false {
    const origin = originOf(requestingUrl);
    const key = `${permission} ${origin}`;
    if (!this.logged.has(key)) {
      this.logged.add(key);
      this.log(`desktop: denied permission ${JSON.stringify(permission)} to ${origin}`);
    }
    return false;
  }

  /** session.setPermissionCheckHandler and setDevicePermissionHandler: asked often, never logged */
  check(): false {
    return false;
  }
}

function originOf(raw: string | undefined): string {
  if (!raw) return 'an unknown page';
  try {
    const url = new URL(raw);
    return url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
  } catch {
    return 'an unknown page';
  }
}
