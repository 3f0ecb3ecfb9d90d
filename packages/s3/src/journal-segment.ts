import type { Entry } from '@tiercache/core';
import { type DecodedManifest, decodeManifest } from './manifest.js';
import type { ManifestSigner } from './manifest-signature.js';

// Journal records and segments share this format: the manifests of entries of one type.
const FORMAT = 'tiercache-s3-segment';
const VERSION = 1;

/** One entry folded into a segment: its key and its manifest, verbatim (signature included). */
export interface SegmentItem {
  key: string;
  manifest: string;
}

interface Segment {
  format: typeof FORMAT;
  version: typeof VERSION;
  type: string;
  items: SegmentItem[];
}

export function encodeSegment(type: string, items: SegmentItem[]): string {
  const segment: Segment = { format: FORMAT, version: VERSION, type, items };
  return JSON.stringify(segment);
}

/** What a segment holds, as manifests would give it: entries that are well-formed and, with a signer, signed. */
export interface DecodedSegment {
  entries: Entry[];
  /** Items that were malformed or (with a signer) not signed with its key. */
  rejected: number;
}

/** A segment of another format, of another type than its name says or unreadable holds nothing. */
export function decodeSegment(
  text: string,
  type: string,
  signer: ManifestSigner | undefined,
): DecodedSegment {
  let parsed: Partial<Segment>;
  try {
    parsed = JSON.parse(text) as Partial<Segment>;
  } catch {
    return { entries: [], rejected: 0 };
  }
  if (
    parsed?.format !== FORMAT ||
    parsed.version !== VERSION ||
    parsed.type !== type ||
    !Array.isArray(parsed.items)
  )
    return { entries: [], rejected: 0 };
  const result: DecodedSegment = { entries: [], rejected: 0 };
  for (const item of parsed.items as unknown[]) {
    const { key, manifest } = (item ?? {}) as Partial<SegmentItem>;
    const decoded: DecodedManifest | string =
      typeof key === 'string' && typeof manifest === 'string'
        ? decodeManifest(manifest, type, key, signer)
        : 'malformed';
    if (typeof decoded === 'string') result.rejected++;
    else result.entries.push(decoded.entry);
  }
  return result;
}
