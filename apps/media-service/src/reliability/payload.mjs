// The one definition of what each reliability key must hold, shared by the test process and the
// worker processes it kills: any bytes served for key i that are not payloadFor(i) are wrong bytes.
import { createHash } from 'node:crypto';

/** Keys the workers fight over: few enough that they collide, many enough to spread. */
export const KEY_SPACE = 40;

export function requestFor(i) {
  return { type: 'tts', prompt: `reliability line ${i}`, params: { engine: 'reliability', voice: 'v1' } };
}

/** The index of a request by its stored prompt, or -1. */
export function indexOfPrompt(prompt) {
  const match = /^reliability line (\d+)$/.exec(prompt);
  return match ? Number(match[1]) : -1;
}

/** 1 KiB to 96 KiB of bytes determined by `i` (a SHA-256 chain): big enough to be torn by a kill. */
export function payloadFor(i) {
  const size = 1024 + ((i * 7919) % (95 * 1024));
  const out = new Uint8Array(size);
  let block = createHash('sha256').update(`payload ${i}`).digest();
  for (let at = 0; at < size; at += block.length) {
    out.set(block.subarray(0, Math.min(block.length, size - at)), at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export function assetFor(i) {
  return { bytes: payloadFor(i), mediaType: 'audio/wav', extension: 'wav' };
}

export function sameBytes(a, b) {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}
