import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { renderQr } from './qr.js';

// jsqr is CommonJS with an ESM-style default in its typings; unwrap whichever shape loads.
type JsQr = (data: Uint8ClampedArray, width: number, height: number, opts?: { inversionAttempts?: 'attemptBoth' }) => { data: string } | null;
const jsQrExport = jsQRModule as unknown as JsQr | { default: JsQr };
const jsQR: JsQr = typeof jsQrExport === 'function' ? jsQrExport : jsQrExport.default;

/** Turn the block characters back into pixels (each character is two modules tall) and scan them. */
function scanBlocks(text: string): string | null {
  const rows = text.split('\n').filter((l) => l.length > 0);
  const width = Math.max(...rows.map((r) => [...r].length));
  const modules: boolean[][] = [];
  for (const row of rows) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const ch of [...row].concat(Array(width - [...row].length).fill(' '))) {
      top.push(ch === '█' || ch === '▀');
      bottom.push(ch === '█' || ch === '▄');
    }
    modules.push(top, bottom);
  }
  const scale = 4;
  const w = width * scale;
  const h = modules.length * scale;
  const pixels = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dark = modules[Math.floor(y / scale)]![Math.floor(x / scale)]!;
      const i = (y * w + x) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = dark ? 0 : 255;
      pixels[i + 3] = 255;
    }
  }
  return jsQR(pixels, w, h, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

describe('renderQr', () => {
  const uri = 'otpauth://totp/Course%20Selection:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Course%20Selection';

  it('draws a QR code in plain block characters that scans back to the URI', async () => {
    const text = await renderQr(uri, false);
    expect(text).not.toMatch(/\x1b\[/);
    expect(scanBlocks(text)).toBe(uri);
  });

  it('uses ANSI colours only when colour is on', async () => {
    expect(await renderQr(uri, true)).toMatch(/\x1b\[/);
  });
});
