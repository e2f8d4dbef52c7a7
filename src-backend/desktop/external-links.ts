import { MAX_EXTERNAL_URL } from './ipc-guard.js';

/**
 * Which links may leave the app for the system browser or mail client. Anything not listed
 * is refused: other schemes (file:, smb:, javascript:, custom handlers) have launched local
 * programs from Electron apps, and an open redirect on an unlisted site is a phishing hop.
 */
export interface LinkPolicy {
  /** exact https origins, e.g. https://docs.example.edu */
  readonly httpsOrigins: ReadonlySet<string>;
  /** plain mailto:address links (no query: no cc, body or attachments) */
  readonly mailto: boolean;
}

export type LinkDecision =
  { readonly open: true; readonly url: string } | { readonly open: false; readonly reason: string };

export class LinkPolicyError extends Error {
  override name = 'LinkPolicyError';
}

/** DESKTOP_LINK_ORIGINS: a comma list of https origins; anything else is a one-line error. */
export function linkPolicyFromEnv(env: NodeJS.ProcessEnv): LinkPolicy {
  const origins = new Set<string>();
  for (const entry of (env.DESKTOP_LINK_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      url = null;
    }
    const plainHost = !!url && /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/.test(url.hostname); // no wildcards
    if (!url || url.protocol !== 'https:' || !plainHost || url.origin !== entry.replace(/\/$/, '')) {
      throw new LinkPolicyError(
        `DESKTOP_LINK_ORIGINS: ${JSON.stringify(entry)} is not an https origin (like https://docs.example.edu)`,
      );
    }
    origins.add(url.origin);
  }
  return { httpsOrigins: origins, mailto: true };
}

export function externalLinkDecision(raw: string, policy: LinkPolicy): LinkDecision {
  if (raw.length > MAX_EXTERNAL_URL) return { open: false, reason: 'too long' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { open: false, reason: 'not a URL' };
  }
  if (url.protocol === 'https:') {
    if (url.username || url.password) return { open: false, reason: 'credentials in the URL' };
    if (!policy.httpsOrigins.has(url.origin)) return { open: false, reason: `${url.origin} is not on the allow-list` };
    return { open: true, url: url.href };
  }
  if (url.protocol === 'mailto:' && policy.mailto) {
    if (url.search || !/^[^@\s,;/?#]+@[^@\s,;/?#]+$/.test(decodeURIComponent(url.pathname)))
      return { open: false, reason: 'mailto: must be one plain address' };
    return { open: true, url: url.href };
  }
  return { open: false, reason: `${url.protocol} links are not opened` };
}
