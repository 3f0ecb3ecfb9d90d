import type { OwnsPaths } from './destination.js';
import type { BlobRef, Entry } from './entry.js';

/** Bytes and entries a tier holds, for limits, dashboards and `stats()`. */
export interface TierUsage {
  entries: number;
  bytes: number;
}

/**
 * A storage level for content bytes: memory (L1), local disk (L2), a shared bucket (L3).
 * Tiers store opaque bytes by `(type, key)`; the index and the orchestrator decide what is
 * cached. Every method validates its ref (see `assertBlobRef`) and rejects refs that could
 * escape the tier's namespace with `E_INVALID_REF`.
 */
export interface BlobTier extends OwnsPaths {
  /** Stable, unique name within one cache (`memory`, `disk`, `s3`); used in stats and events. */
  readonly name: string;
  /**
   * True when bytes read back may differ from what was written (files, remote objects):
   * the orchestrator then checks every read against `Entry.contentHash`.
   */
  readonly verifyReads: boolean;
  /**
   * Optional: true when the tier itself verifies what `get` returns against the `expectedHash`
   * it is given (typically while the bytes stream in, which costs no extra pass), so the
   * orchestrator skips its own hash for this tier and checks only the size. Such a tier must
   * resolve `undefined`, never unverified bytes, when the bytes do not match `expectedHash`;
   * reporting or deleting the mismatching copy is then its own business. The orchestrator
   * trusts it: bytes such a tier returns are served as they are.
   */
  readonly verifiesOwnReads?: boolean;
  /**
   * The stored bytes, or `undefined` when absent. The caller may mutate what it gets.
   * `expectedHash` is the SHA-256 (`Entry.contentHash`) the caller expects; the orchestrator
   * always passes it. Tiers without `verifiesOwnReads` may ignore it.
   */
  get(ref: BlobRef, expectedHash?: string): Promise<Uint8Array | undefined>;
  /**
   * Stores bytes for an entry; replaces any copy under the same ref. The tier must not keep a
   * reference the caller can still mutate. `entry` carries expiry and content hash.
   */
  put(entry: Entry, bytes: Uint8Array): Promise<void>;
  has(ref: BlobRef): Promise<boolean>;
  /** Removes a blob; resolves `true` when something was removed. */
  delete(ref: BlobRef): Promise<boolean>;
  /** Removes every blob of one type, or of all types. */
  clear(type?: string): Promise<void>;
  /**
   * Optional: writes the blob to `destPath` as a file the caller owns (a clone or a copy,
   * never shared with the cache). Resolves `false` when absent. Tiers with `verifyReads`
   * must verify against `expectedHash` and resolve `false` (after deleting) on mismatch.
   */
  materialize?(ref: BlobRef, destPath: string, expectedHash: string): Promise<boolean>;
  /** Optional: what the tier holds now. */
  usage?(): Promise<TierUsage>;
  /**
   * Optional, for shared tiers: the entry another process or machine stored under a key,
   * so that an exact-key miss in the local index can still be served.
   */
  describe?(type: string, key: string): Promise<Entry | undefined>;
  /** Optional: finishes background work (queued uploads) and releases resources. */
  close?(): Promise<void>;
}
