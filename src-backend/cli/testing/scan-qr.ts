import jsQRModule from 'jsqr';

// jsqr is CommonJS with an ESM-style default in its typings; unwrap whichever shape loads.
type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  opts?: { inversionAttempts?: 'attemptBoth' },
) => { data: string } | null;
const jsQrExport = jsQRModule as unknown as JsQr | { default: JsQr };
const jsQR: JsQr = typeof jsQrExport === 'function' ? jsQrExport : jsQrExport.default;

const BLOCKS = /^[ █▀▄]+$/;

/**
 * Find the QR code drawn with block characters in some output, turn it back into pixels
 * (each character is two modules tall) and scan it, as a phone camera would.
 */
export function scanBlockQr(output: string): string | null {
  const rows = output.split('\n').filter((l) => l.length > 8 && BLOCKS.test(l));
  if (rows.length === 0) return null;
  const width = Math.max(...rows.map((r) => [...r].length));
  const modules: boolean[][] = [];
  for (const row of rows) {
    const chars = [...row];
    while (chars.length < width) chars.push(' ');
    modules.push(
      chars.map((ch) => ch === '█' || ch === '▀'),
      chars.map((ch) => ch === '█' || ch === '▄'),
    );
  }
  const scale = 4;
  const margin = 4 * scale; // a quiet zone, whatever the renderer left
  const w = width * scale + 2 * margin;
  const h = modules.length * scale + 2 * margin;
  const pixels = new Uint8ClampedArray(w * h * 4).fill(255);
  for (let y = 0; y < modules.length * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      if (!modules[Math.floor(y / scale)]![Math.floor(x / scale)]) continue;
      const i = ((y + margin) * w + (x + margin)) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
    }
  }
  return jsQR(pixels, w, h, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}
