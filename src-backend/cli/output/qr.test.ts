import { describe, expect, it } from 'vitest';
import { scanBlockQr } from '../testing/scan-qr.js';
import { renderQr } from './qr.js';

describe('renderQr', () => {
  const uri =
    'otpauth://totp/Course%20Selection:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Course%20Selection';

  it('draws a QR code in plain block characters that scans back to the URI', async () => {
    const text = await renderQr(uri, false);
    expect(text).not.toMatch(/\x1b\[/);
    expect(scanBlockQr(text)).toBe(uri);
  });

  it('uses ANSI colours only when colour is on', async () => {
    expect(await renderQr(uri, true)).toMatch(/\x1b\[/);
  });
});
