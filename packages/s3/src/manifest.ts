import type { Entry, JsonObject } from '@tiercache/core';
import { canonicalJson, validateEntry } from '@tiercache/core/kit';
import type { ManifestSigner } from './manifest-signature.js';

const FORMAT = 'tiercache-s3-manifest';
// 2: content-addressed blobs (the entry's contentHash names its blob object) and optional
// signatures. Version 1 manifests pointed at blobs named by request key: read as absent.
const VERSION = 2;

/**
 * What the bucket records about one entry: the entry without its machine-local usage fields
 * (`useCount`, `lastUsedAt`). With a signing key, `signature` is the HMAC-SHA256 of the
 * canonical JSON of everything else, so a machine holding the key can tell that a machine
 * holding it wrote this entry for this key.
 */
export interface Manifest {
  format: typeof FORMAT;
  version: typeof VERSION;
  writtenAt: number;
  entry: Omit<Entry, 'useCount' | 'lastUsedAt'>;
  signature?: string;
}

/** Why a manifest read from the bucket is not used. */
export type ManifestRejection = 'malformed' | 'unsigned';

export interface DecodedManifest {
  /** A complete entry: never used on this machine yet (`useCount` 0, `lastUsedAt` = `createdAt`). */
  entry: Entry;
  writtenAt: number;
}

/** The text a signature covers: format, version, time and entry, in canonical JSON. */
function signedText(manifest: Omit<Manifest, 'signature'>): string {
  const { format, version, writtenAt, entry } = manifest;
  return canonicalJson({ format, version, writtenAt, entry });
}

export function encodeManifest(entry: Entry, writtenAt: number, signer: ManifestSigner | undefined): string {
  const { useCount: _useCount, lastUsedAt: _lastUsedAt, ...rest } = entry;
  // Through JSON first, so the text signed is exactly what a reader parses (no `undefined`s).
  const shared = JSON.parse(JSON.stringify(rest)) as Manifest['entry'];
  const manifest: Manifest = { format: FORMAT, version: VERSION, writtenAt, entry: shared };
  if (signer) manifest.signature = signer.sign(signedText(manifest));
  return JSON.stringify(manifest);
}

/**
 * Parses and checks a manifest read from the bucket. Malformed (another tool's object, a
 * truncated write, another format or version, an entry filed under another key) or, with a
 * signer, not signed by its key: a `ManifestRejection`, which callers treat as absent.
 */
export function decodeManifest(
  text: string,
  type: string,
  key: string,
  signer: ManifestSigner | undefined,
): DecodedManifest | ManifestRejection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'malformed';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'malformed';
  const manifest = parsed as Partial<Manifest>;
  const shared = manifest.entry;
  if (
    manifest.format !== FORMAT ||
    manifest.version !== VERSION ||
    typeof manifest.writtenAt !== 'number' ||
    typeof shared !== 'object' ||
    shared === null
  )
    return 'malformed';
  const entry: Entry = {
    ...shared,
    metadata: (shared.metadata ?? {}) as JsonObject,
    useCount: 0,
    lastUsedAt: shared.createdAt,
  };
  try {
    validateEntry(entry);
  } catch {
    return 'malformed';
  }
  if (entry.type !== type || entry.key !== key) return 'malformed';
  if (signer && !signer.verify(signedText(manifest as Manifest), manifest.signature)) return 'unsigned';
  return { entry, writtenAt: manifest.writtenAt };
}
