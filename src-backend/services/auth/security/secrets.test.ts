import argon2 from 'argon2';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { generateCode, hashCode, normalizeCode } from './codes.js';
import {
  ARGON2_OPTIONS,
  PasswordVerifier,
  generatePassword,
  hashGeneratedPassword,
  hashPassword,
  mapLimited,
} from './passwords.js';
import { matchTotpStep, newTotpEnrollment } from './totp.js';

describe('codes', () => {
  it('have 10 Crockford symbols (50 bits) in two groups and differ every time', () => {
    const codes = new Set(Array.from({ length: 2000 }, generateCode));
    expect(codes.size).toBe(2000);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  });

  it('hash the same however they are typed, and never store the code itself', () => {
    const code = 'AB1D0-XYZ23';
    expect(normalizeCode(' ab1d0 xyz23 ')).toBe('AB1D0XYZ23');
    expect(hashCode('abld0-xyz23')).toBe(hashCode(code)); // l → 1
    expect(hashCode('ABIDO-XYZ23')).toBe(hashCode(code)); // I → 1, O → 0
    expect(hashCode(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashCode(code)).not.toContain('AB1D0');
  });
});

describe('passwords', () => {
  it('are argon2id with t ≥ 2 and ≥ 19 MiB', async () => {
    const encoded = await hashPassword('correct horse');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$/);
    const params = Object.fromEntries(
      encoded
        .split('$')[3]!
        .split(',')
        .map((kv) => kv.split('=')),
    );
    expect(Number(params.t)).toBeGreaterThanOrEqual(2);
    expect(Number(params.m)).toBeGreaterThanOrEqual(19 * 1024);
    expect(ARGON2_OPTIONS.memoryCost).toBeGreaterThanOrEqual(19 * 1024);
    expect(await argon2.verify(encoded, 'correct horse')).toBe(true);
  });

  it('verify argon2id, generated one-time passwords, and never match an unknown user', async () => {
    const v = new PasswordVerifier();
    await v.warmUp();
    const encoded = await hashPassword('pa55word!');
    expect(await v.verify(encoded, 'pa55word!')).toBe(true);
    expect(await v.verify(encoded, 'pa55word?')).toBe(false);
    const generated = generatePassword();
    expect(generated).toMatch(/^[A-Za-z0-9]{17}$/);
    const g = hashGeneratedPassword(generated);
    expect(g).not.toContain(generated);
    expect(await v.verify(g, generated)).toBe(true);
    expect(await v.verify(g, generated.slice(1))).toBe(false);
    expect(await v.verify(null, 'anything')).toBe(false);
    expect(await v.verify('not-a-hash', 'anything')).toBe(false);
  });

  it('an unknown user costs an argon2 verification like a real one', async () => {
    const v = new PasswordVerifier();
    await v.warmUp();
    const encoded = await hashPassword('pa55word!');
    const time = async (enc: string | null) => {
      const t = performance.now();
      await v.verify(enc, 'guess');
      return performance.now() - t;
    };
    const real = Math.min(await time(encoded), await time(encoded), await time(encoded));
    const ghost = Math.min(await time(null), await time(null), await time(null));
    expect(ghost).toBeGreaterThan(real * 0.25);
    expect(real).toBeGreaterThan(ghost * 0.25);
  });

  it('mapLimited keeps order and never exceeds its limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimited([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });
});

describe('TOTP', () => {
  const at = (secret: string, ms: number) =>
    new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
      timestamp: ms,
    });

  it('matches RFC 6238 test vector (SHA1, T = 59 s)', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", 8 digits 94287082 → 6 digits 287082
    const secret = new Secret({ buffer: new TextEncoder().encode('12345678901234567890').buffer }).base32;
    expect(matchTotpStep(secret, '287082', 59_000)).toBe(1);
  });

  it('returns the step of the code within ±1 step, else null', () => {
    const { totpSecret } = newTotpEnrollment('amy');
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotpStep(totpSecret, at(totpSecret, now), now)).toBe(step);
    expect(matchTotpStep(totpSecret, at(totpSecret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(totpSecret, at(totpSecret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotpStep(totpSecret, at(totpSecret, now + 90_000), now)).toBeNull();
  });

  it('enrolment gives a 160-bit secret and the otpauth URI apps scan', () => {
    const e = newTotpEnrollment('bob.smith');
    expect(e.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(e.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Course Selection:bob.smith');
    expect(uri.searchParams.get('secret')).toBe(e.totpSecret);
    expect(uri.searchParams.get('issuer')).toBe('Course Selection');
  });
});
