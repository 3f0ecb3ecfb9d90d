import type { BlobRef, Entry, EntryRef } from './entry.js';
import type { Logger } from './logger.js';
import type { OwnsPaths } from './owns-paths.js';
import type { ContractVersion } from './version.js';

/** Who checks the bytes a tier reads back: see `BlobTier.readVerification`. */
export type ReadVerification = 'by-cache' | 'by-tier' | 'size-only';

/** Bytes and blobs a tier holds, for limits, dashboards and `stats()`. */
export interface TierUsage {
  /** Blobs held. Content shared by several entries is stored, and counted, once. */
  entries: number;
  /** Bytes of those blobs. */
  bytes: number;
}

/**
 * A storage level for content bytes: memory (L1), local disk (L2), a shared bucket (L3).
 *
 * **Content-addressed.** A tier stores blobs named by their content (`BlobRef`: type, SHA-256
 * of the bytes, extension; `blobPath` gives the shared layout). One name always means the same
 * bytes: a blob is written once and never replaced by other bytes, so racing writers with
 * different bytes cannot overwrite each other, and identical content is stored once however
 * many entries (request keys) point at it.
 *
 * **The index decides.** Which content a request key maps to is the `EntryIndex`'s decision
 * (first writer wins). The orchestrator writes blobs before the index row; a writer that loses
 * the race leaves a blob no entry references: garbage that `prune` and `verify` collect. A tier
 * never deletes a blob because an entry went away; only the orchestrator (or a verify/GC run)
 * does, and only once no index entry references the blob (`EntryIndex.blobReferences`), or
 * because the copy is corrupt.
 *
 * **Per-entry records (optional).** A tier may also keep a small record per entry, filed by
 * `EntryRef` (type, key): S3 manifests that let other machines find an entry (`describe`),
 * the disk tier's entry records that let a lost index be rebuilt (`entries`). `put` receives
 * the whole entry for this reason. Records are hints for other machines and for recovery; the
 * index stays the authority.
 *
 * Every method validates its ref (`assertBlobRef`, `assertEntryRef`) and rejects refs that
 * could escape the tier's namespace with `E_INVALID_REF`.
 */
export interface BlobTier extends OwnsPaths {
  /**
   * Optional: the contract version this part was written for (`CONTRACT_VERSION`). A cache
   * refuses a part that declares another version with `E_INVALID_OPTIONS`.
   */
  readonly contractVersion?: ContractVersion;
  /** Stable, unique name within one cache (`memory`, `disk`, `s3`); used in stats and events. */
  readonly name: string;
  /**
   * Who checks that bytes read back are the blob's (`ref.contentHash`). The orchestrator checks
   * the size of every answer whatever this says.
   * - `'by-cache'`: bytes read back may differ from what was written (files): the orchestrator
   *   hashes every read and `delete`s a mismatching copy.
   * - `'by-tier'`: the tier verifies what `get` returns itself (typically while the bytes stream
   *   in, at no extra pass) and resolves `undefined`, never unverified bytes, on mismatch;
   *   reporting or deleting the copy is its own business. The orchestrator serves its bytes as
   *   they are.
   * - `'size-only'`: blobs cannot change after `put` except through the tier's own code
   *   (memory: it copies on `put` and is keyed by content hash).
   */
  readonly readVerification: ReadVerification;
  /**
   * Optional: true when `get` resolves the very bytes the tier keeps (memory), not a fresh
   * copy. The orchestrator then copies them before handing them to a caller, unless the cache
   * was created with `zeroCopyHits`. A tier must never change bytes it handed out.
   * @default false
   */
  readonly sharesReadBytes?: boolean;
  /**
   * The bytes of the blob named by `ref`, or `undefined` when absent. The result is read-only
   * for the caller: a tier may return the very bytes it holds (memory does, so that a hit costs
   * no copy), and the orchestrator copies before handing bytes to code that may change them.
   * Bytes returned must be the blob's as far as the tier knows; with `readVerification:
   * 'by-cache'` the orchestrator checks them against `ref.contentHash` and `delete`s a mismatching copy.
   */
  get(ref: BlobRef): Promise<Uint8Array | undefined>;
  /**
   * Stores `bytes` as the blob named by the entry (`entry.type`, `entry.contentHash`,
   * `entry.extension`). The caller guarantees that `bytes` hash to `entry.contentHash`.
   * When the blob is already present nothing is rewritten (same name, same bytes); a tier
   * may replace a copy it finds corrupt, never an intact one. Writing is atomic: a reader
   * sees the whole blob or none. The tier must not keep a reference the caller can still
   * mutate. `entry.expiresAt` may bound how long the tier keeps the blob.
   *
   * A tier with per-entry records also records the entry under `(entry.type, entry.key)`
   * unless a record for that key exists (first record wins, like the index; `deleteEntry`
   * removes it). The same call with the same entry is idempotent.
   */
  put(entry: Entry, bytes: Uint8Array): Promise<void>;
  /** Whether the blob named by `ref` is present (not verified). */
  has(ref: BlobRef): Promise<boolean>;
  /**
   * Removes the blob named by `ref`, whichever entries reference it; resolves `true` when
   * something was removed. Per-entry records are left alone. The orchestrator calls it only
   * for an unreferenced blob or a corrupt copy. A tier shared by several indexes (a bucket
   * used by a farm) may keep a blob that its own per-entry records still reference, and then
   * resolves `false`.
   */
  delete(ref: BlobRef): Promise<boolean>;
  /**
   * Optional, for tiers with per-entry records: removes the record of `(type, key)`; resolves
   * `true` when one was removed. Blobs are left alone (another entry may share the content).
   * The orchestrator calls it when it removes the entry from the index (eviction, `delete`).
   */
  deleteEntry?(ref: EntryRef): Promise<boolean>;
  /** Removes every blob and per-entry record of one type, or of all types. */
  clear(type?: string): Promise<void>;
  /**
   * Optional: writes the blob named by `ref` to `destPath` as a file the caller owns (a clone
   * or a copy, never shared with the cache). Resolves `false` when absent. Tiers whose
   * `readVerification` is not `'size-only'` must verify against `ref.contentHash` and resolve `false` (after deleting
   * the copy) on mismatch.
   */
  materialize?(ref: BlobRef, destPath: string): Promise<boolean>;
  /** Optional: what the tier holds now. */
  usage?(): Promise<TierUsage>;
  /**
   * Optional, for shared tiers: the entry another process or machine recorded under
   * `(type, key)`, so that an exact-key miss in the local index can still be served.
   */
  describe?(type: string, key: string): Promise<Entry | undefined>;
  /**
   * Optional, for tiers with per-entry records: every entry the tier can vouch for, that is
   * whose record is well-formed and whose blob it holds (present; reads are still verified),
   * of one type or of all types. Used to rebuild a lost or damaged index; the order is
   * unspecified and a record may be yielded while it is being removed.
   */
  entries?(type?: string): AsyncIterable<Entry>;
  /**
   * Optional, for tiers that report warnings (a full upload queue, a corrupt copy removed):
   * receives the logger of the cache the tier joins (`TieredCacheOptions.logger`), once, at
   * the cache's construction. A tier given its own warning sink keeps using that one.
   */
  setLogger?(logger: Logger): void;
  /** Optional: finishes background work (queued uploads) and releases resources. */
  close?(): Promise<void>;
}
