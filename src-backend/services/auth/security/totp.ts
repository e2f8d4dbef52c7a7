import { Secret, TOTP } from 'otpauth';
import { TOTP_ISSUER, type TotpEnrollment } from '../../../contracts/auth.js';

/** RFC 6238 as every authenticator app expects it: SHA1, 6 digits, 30 s steps. */
const PERIOD_SECONDS = 30;
/** ±1 step of clock skew */
const WINDOW = 1;

function totpFor(secretBase32: string, username: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh 160-bit secret (RFC 4226's recommended size) and its otpauth:// URI. */
export function newTotpEnrollment(username: string): TotpEnrollment {
  const totpSecret = new Secret({ size: 20 }).base32;
  return { totpSecret, otpauthUri: totpUri(totpSecret, username) };
}

export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString();
}

/**
 * The RFC 6238 step the code belongs to, or null when it matches none within the window.
 * The caller then consumes the step once (data_node), which is what stops replays.
 */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number): number | null {
  const delta = totpFor(secretBase32, 'x').validate({ token: code, timestamp: nowMs, window: WINDOW });
  if (delta === null) return null;
  return Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta;
}
