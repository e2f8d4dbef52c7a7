/**
 * The tabs of one browser share one sign-in. The token stays in each tab's sessionStorage (never
 * on disk, see stores/session.ts); tabs hand it to each other in memory over a BroadcastChannel,
 * which only pages of the same origin in the same browser profile can hear.
 */
export type SessionMessage =
  | { type: 'ask' }
  | { type: 'share'; token: string }
  | { type: 'signed-in'; token: string }
  | { type: 'signed-out'; token: string }
  /** someone used the console in another tab: the idle clock starts over everywhere */
  | { type: 'active' };

const NAME = 'csc.session';

export interface SessionChannel {
  post(message: SessionMessage): void;
  /** the token another signed-in tab hands over, or null when none answers within `waitMs` */
  ask(waitMs?: number): Promise<string | null>;
  close(): void;
}

function isMessage(data: unknown): data is SessionMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as { type?: unknown; token?: unknown };
  if (m.type === 'ask' || m.type === 'active') return true;
  return (m.type === 'share' || m.type === 'signed-in' || m.type === 'signed-out') && typeof m.token === 'string';
}

/** null where BroadcastChannel is missing or refused: each tab then signs in on its own, as before. */
export function openSessionChannel(onMessage: (m: SessionMessage) => void): SessionChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  let channel: BroadcastChannel;
  try {
    channel = new BroadcastChannel(NAME);
  } catch {
    return null; // an opaque origin (a file:// page) may refuse it; the desktop app has one window anyway
  }
  const waiting = new Set<(token: string) => void>();
  channel.onmessage = (e: MessageEvent<unknown>) => {
    if (!isMessage(e.data)) return;
    if (e.data.type === 'share') for (const w of waiting) w(e.data.token);
    onMessage(e.data);
  };
  return {
    post: (m) => channel.postMessage(m),
    ask(waitMs = 400) {
      return new Promise((resolve) => {
        const done = (token: string | null) => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve(token);
        };
        const timer = setTimeout(() => done(null), waitMs);
        waiting.add(done);
        channel.postMessage({ type: 'ask' } satisfies SessionMessage);
      });
    },
    close: () => channel.close(),
  };
}
