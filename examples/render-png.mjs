// A real, deterministic image generator for the demo: draws a PNG from the prompt (colours
// and bands derived from its SHA-256), so the demo needs no network and no API key.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Renders `prompt` as a width × height RGB PNG. */
export function renderPng(prompt, width = 320, height = 180) {
  const seed = createHash('sha256').update(prompt).digest();
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const band = seed[(Math.floor(x / 40) + Math.floor(y / 30) * 8) % 32];
      const t = (x + y) / (width + height);
      row[1 + x * 3] = Math.round(seed[0] * (1 - t) + seed[3] * t) ^ (band & 0x1f);
      row[2 + x * 3] = Math.round(seed[1] * (1 - t) + seed[4] * t) ^ (band & 0x3f);
      row[3 + x * 3] = Math.round(seed[2] * (1 - t) + seed[5] * t);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
