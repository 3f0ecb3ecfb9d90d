import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { ImageEngine, ImageRequest } from './engine-types.js';

export const LOCAL_RENDERER_MODEL = 'local-renderer/v1';
// Larger images cost milliseconds each and make the demo folder heavy for no benefit.
const MAX_SIDE = 2048;

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Draws an RGB PNG whose gradient and bands come from the SHA-256 of everything that should
 * change the picture (prompt, negative prompt, seed): the same request always gives the same
 * bytes, a different one visibly different bytes.
 */
export function renderPng(
  request: Pick<ImageRequest, 'prompt' | 'negativePrompt' | 'seed' | 'width' | 'height'>,
): Buffer {
  const width = Math.min(request.width, MAX_SIDE);
  const height = Math.min(request.height, MAX_SIDE);
  const seed = createHash('sha256')
    .update(`${request.prompt}\0${request.negativePrompt ?? ''}\0${request.seed ?? ''}`)
    .digest();
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x++) {
      const band = seed[(Math.floor(x / 40) + Math.floor(y / 30) * 8) % 32]!;
      const t = (x + y) / (width + height);
      const at = row + 1 + x * 3;
      rows[at] = Math.round(seed[0]! * (1 - t) + seed[3]! * t) ^ (band & 0x1f);
      rows[at + 1] = Math.round(seed[1]! * (1 - t) + seed[4]! * t) ^ (band & 0x3f);
      rows[at + 2] = Math.round(seed[2]! * (1 - t) + seed[5]! * t);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The image engine used without a Together.ai key: deterministic PNGs, no network. */
export function createLocalRenderer(): ImageEngine {
  return {
    engine: 'local-renderer',
    defaultModel: LOCAL_RENDERER_MODEL,
    async render(request) {
      const bytes = new Uint8Array(renderPng(request));
      return {
        bytes,
        mediaType: 'image/png',
        extension: 'png',
        metadata: { engine: 'local-renderer', model: LOCAL_RENDERER_MODEL },
      };
    },
  };
}
