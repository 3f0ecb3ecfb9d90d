import { type Entry, type JsonObject, validateEntry } from '@tiercache/core';

const FORMAT = 'tiercache-s3-manifest';
const VERSION = 1;

/**
 * What the bucket records about one entry, next to its blob. Usage fields (`useCount`,
 * `lastUsedAt`) are machine-local and left out; `writer` identifies the tier instance that
 * wrote it, so a machine never replaces another machine's entry.
 */
export interface Manifest {
  format: typeof FORMAT;
  version: typeof VERSION;
  writer: string;
  writtenAt: number;
  entry: Omit<Entry, 'useCount' | 'lastUsedAt'>;
}

export function encodeManifest(entry: Entry, writer: string, writtenAt: number): string {
  const { useCount: _useCount, lastUsedAt: _lastUsedAt, ...shared } = entry;
  const manifest: Manifest = { format: FORMAT, version: VERSION, writer, writtenAt, entry: shared };
  return JSON.stringify(manifest);
}

export interface DecodedManifest {
  writer: string;
  /** A complete entry: never used on this machine yet (`useCount` 0, `lastUsedAt` = `createdAt`). */
  entry: Entry;
}

/**
 * Parses and validates a manifest read from the bucket; `undefined` for anything malformed
 * (another tool's object, a truncated write, a future format), which is then treated as absent.
 */
export function decodeManifest(text: string, type: string, key: string): DecodedManifest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const manifest = parsed as Partial<Manifest>;
  if (manifest.format !== FORMAT || manifest.version !== VERSION || typeof manifest.writer !== 'string')
    return undefined;
  const shared = manifest.entry;
  if (typeof shared !== 'object' || shared === null) return undefined;
  const entry: Entry = {
    ...shared,
    metadata: (shared.metadata ?? {}) as JsonObject,
    useCount: 0,
    lastUsedAt: shared.createdAt,
  };
  try {
    validateEntry(entry);
  } catch {
    return undefined;
  }
  if (entry.type !== type || entry.key !== key) return undefined;
  return { writer: manifest.writer, entry };
}
