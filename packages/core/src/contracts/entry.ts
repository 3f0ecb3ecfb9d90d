import type { JsonObject } from './json.js';

/**
 * The index record of one cached asset. Entries are immutable once inserted except for
 * the usage fields (`lastUsedAt`, `useCount`), which every hit updates.
 * Times are milliseconds since the Unix epoch.
 */
export interface Entry {
  type: string;
  /** Request key (see `deriveKey`). Unique within a type. */
  key: string;
  /** The normalized prompt that produced the asset. */
  prompt: string;
  /** Canonical JSON of the request params. */
  params: string;
  /** Similarity partition: entries only ever match requests with the same paramsHash. */
  paramsHash: string;
  /**
   * SHA-256 (lowercase hex) of the bytes. It names the entry's blob in every tier (see
   * `BlobRef`): entries with identical content share one blob. Tiers that ask for
   * verification are checked against it.
   */
  contentHash: string;
  /** Byte length of the content. */
  size: number;
  /** IANA media type, e.g. `audio/wav`. */
  mediaType: string;
  /** File extension without a dot, e.g. `wav`; may be empty. */
  extension: string;
  /** Free-form JSON the producer attached (engine version, duration...). */
  metadata: JsonObject;
  createdAt: number;
  lastUsedAt: number;
  /** 1 at insert (the generation itself), plus one per hit. */
  useCount: number;
  /** When the entry stops being served; `null` never expires. */
  expiresAt: number | null;
  /** What generating the asset cost, in the caller's currency unit; `null` unknown. */
  generationCost: number | null;
  /** How long generating the asset took, in milliseconds; `null` unknown. */
  generationMs: number | null;
}

/**
 * The name of a blob: its content. Blobs are content-addressed (like npm's cacache): a blob is
 * named by the SHA-256 of its bytes, grouped per asset type, with the entry's extension so the
 * file is usable as it is (`blobPath`: `<type>/<first 2 hex>/<contentHash>.<ext>`). The same
 * name always means the same bytes, so writers with different bytes can never overwrite each
 * other, and several entries (request keys) with identical content share one blob.
 * Every `Entry` is a `BlobRef`; `blobRefOf` makes a bare one.
 */
export interface BlobRef {
  type: string;
  /** SHA-256 (64 lowercase hex digits) of the blob's bytes. */
  contentHash: string;
  /** File extension without a dot; may be empty. Part of the name: `a.wav` and `a.mp3` are two blobs. */
  extension: string;
}

/**
 * The name of an entry: one request key within one asset type. Tiers that keep a record per
 * entry (S3 manifests, the disk tier's entry records) file it under this name.
 * Every `Entry` is an `EntryRef`.
 */
export interface EntryRef {
  type: string;
  /** Request key (see `deriveKey`). */
  key: string;
}
