// Draws the app and tray icons as PNGs (no image tools needed). Run once; the PNGs are committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5, size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const clamp = (v) => Math.max(0, Math.min(1, v));
function dot([r, g, b]) {
  return (x, y, s) => {
    const d = Math.hypot(x - s / 2, y - s / 2);
    return [r, g, b, Math.round(255 * clamp(s * 0.42 - d + 0.5))];
  };
}
// App icon: an indigo rounded square with a white 3×3 grid of "seats", the middle one taken.
function appIcon(x, y, s) {
  const m = s * 0.06, rad = s * 0.2;
  const inside = (() => {
    const cx = Math.min(Math.max(x, m + rad), s - m - rad), cy = Math.min(Math.max(y, m + rad), s - m - rad);
    return clamp(rad - Math.hypot(x - cx, y - cy) + 0.5);
  })();
  if (inside <= 0) return [0, 0, 0, 0];
  const cell = (s - 2 * m) / 5, gap = cell * 0.4, start = m + (s - 2 * m - (3 * cell + 2 * gap)) / 2;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const x0 = start + i * (cell + gap), y0 = start + j * (cell + gap);
    if (x >= x0 && x < x0 + cell && y >= y0 && y < y0 + cell) {
      return i === 1 && j === 1 ? [52, 211, 153, 255] : [238, 242, 255, Math.round(255 * inside)];
    }
  }
  return [79, 70, 229, Math.round(255 * inside)];
}
writeFileSync('resources/icon.png', png(512, appIcon));
writeFileSync('resources/tray-healthy.png', png(32, dot([34, 197, 94])));
writeFileSync('resources/tray-degraded.png', png(32, dot([245, 158, 11])));
writeFileSync('resources/tray-down.png', png(32, dot([239, 68, 68])));
console.log('icons written to resources/');
