import { MediaServiceError } from '../errors.js';

const ascii = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

/** True for a RIFF/WAVE file with a `fmt ` chunk. */
export function isWav(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 44 &&
    ascii(bytes, 0) === 'RIFF' &&
    ascii(bytes, 8) === 'WAVE' &&
    ascii(bytes, 12) === 'fmt '
  );
}

/**
 * Writes the real RIFF and data sizes into a WAV header. `espeak-ng --stdout` cannot seek back
 * on a pipe, so it leaves placeholder sizes (0x7ffff024) that strict readers reject; the file
 * is otherwise identical to what `espeak-ng -w` writes.
 */
export function finalizeWav(bytes: Uint8Array, engine: string): Uint8Array {
  if (!isWav(bytes))
    throw new MediaServiceError('E_ENGINE', `${engine} did not produce a WAV file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(4, bytes.length - 8, true);
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at + 4, true);
    if (ascii(bytes, at) === 'data') {
      view.setUint32(at + 4, bytes.length - at - 8, true);
      if (bytes.length - at - 8 === 0)
        throw new MediaServiceError('E_ENGINE', `${engine} produced a WAV file without audio`);
      return bytes;
    }
    at += 8 + size + (size % 2);
  }
  throw new MediaServiceError('E_ENGINE', `${engine} produced a WAV file without a data chunk`);
}

/** Playing time of a WAV file in seconds: its data chunk's size over the `fmt ` byte rate. */
export function wavSeconds(bytes: Uint8Array, file: string): number {
  if (!isWav(bytes)) throw new MediaServiceError('E_VIDEO', `${file} is not a WAV file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byteRate = view.getUint32(28, true);
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at + 4, true);
    if (ascii(bytes, at) === 'data' && byteRate > 0) return Math.min(size, bytes.length - at - 8) / byteRate;
    at += 8 + size + (size % 2);
  }
  throw new MediaServiceError('E_VIDEO', `${file} has no audio data`);
}
