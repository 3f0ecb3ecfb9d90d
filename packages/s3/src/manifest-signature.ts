import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 over a manifest's signed text, hex. The key is a secret: it is held in this
 * closure only, never put in an error, an event or a file.
 */
export interface ManifestSigner {
  sign(text: string): string;
  /** Whether `signature` is this key's signature of `text` (constant-time comparison). */
  verify(text: string, signature: unknown): boolean;
}

const SIGNATURE = /^[0-9a-f]{64}$/;

export function createManifestSigner(key: Uint8Array): ManifestSigner {
  // A copy: the caller's buffer may be reused or zeroed after construction.
  const secret = Buffer.from(key);
  const sign = (text: string) => createHmac('sha256', secret).update(text, 'utf8').digest('hex');
  return {
    sign,
    verify(text, signature) {
      if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return false;
      return timingSafeEqual(Buffer.from(sign(text), 'hex'), Buffer.from(signature, 'hex'));
    },
  };
}
