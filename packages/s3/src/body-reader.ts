import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * A buffer of its own (never a slice of Node's shared pool) whose bytes are not zeroed first:
 * every byte is overwritten by the body before anyone sees it.
 */
function uninitialized(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** Reads a body to the end, hashing as it arrives, into one buffer sized by Content-Length. */
export async function readBody(
  body: Readable,
  length: number | undefined,
  signal: AbortSignal,
  hashing = true,
) {
  const hash = hashing ? createHash('sha256') : undefined;
  const abort = () => body.destroy(new Error('aborted'));
  signal.addEventListener('abort', abort, { once: true });
  try {
    let out = uninitialized(length ?? 0);
    let filled = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      hash?.update(chunk);
      if (filled + chunk.length > out.length) {
        const grown = uninitialized(Math.max(out.length * 2, filled + chunk.length));
        grown.set(out.subarray(0, filled));
        out = grown;
      }
      out.set(chunk, filled);
      filled += chunk.length;
    }
    if (signal.aborted) throw new Error('aborted');
    if (length !== undefined && filled !== length) {
      // The connection ended early: a transfer fault, retried like any network error.
      throw Object.assign(new Error(`body ended after ${filled} of ${length} bytes`), {
        code: 'EBODYTRUNCATED',
      });
    }
    return { bytes: filled === out.length ? out : out.slice(0, filled), sha256: hash?.digest('hex') };
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
