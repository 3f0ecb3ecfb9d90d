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
  /** SHA-256 (hex) of the bytes. Tiers that ask for verification are checked against it. */
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

/** Where a blob lives: enough for any tier to find it. */
export interface BlobRef {
  type: string;
  key: string;
  extension: string;
}
