import { TiercacheError } from '@tiercache/core';
import type { BucketStore, DownloadedBlob } from './bucket-store.js';
import type { ObjectRef } from './object-ref.js';
import type { StatsCounters } from './s3-stats.js';

/** Why a read did not match: the object's own record, or the caller's entry. */
export type CorruptReason = 'damaged' | 'unvouched';

export interface VerifiedReadHooks {
  counters: StatsCounters;
  /** A read did not match; `removed` when the object was judged bad and deleted. */
  onCorrupt: (removed: boolean, reason: CorruptReason) => void;
  /** Deletes the blob and its manifest. */
  remove: () => Promise<boolean>;
  /**
   * The object is intact as stored (its bytes hash to `observedHash`, as recorded) but is not the
   * version the caller expects: deletes it unless its manifest vouches for it (another machine's
   * valid entry); `true` when it was deleted.
   */
  settle: (observedHash: string) => Promise<boolean>;
}

/**
 * - `ok`: the bytes are what was asked for (or cannot be checked here: not hashed, no hash known).
 * - `other`: the bytes match the object's own recorded hash, so the transfer was fine, but not
 *   `expectedHash`: another version of the key.
 * - `damaged`: the bytes match neither, or their size is wrong.
 */
type Verdict = 'ok' | 'other' | 'damaged';

function check(blob: DownloadedBlob, expectedHash: string | undefined): Verdict {
  const { sha256: recorded, size } = blob.head;
  if (blob.bytes.length !== (size ?? blob.bytes.length)) return 'damaged';
  // Not hashed (`verifyDownloads: false`): the tier does not claim `verifiesOwnReads`, core hashes.
  if (blob.sha256 === undefined) return 'ok';
  // The caller's entry is the authority; the object's metadata only when no entry was given.
  const wanted = expectedHash ?? recorded;
  if (wanted === undefined || blob.sha256 === wanted) return 'ok';
  return expectedHash !== undefined && blob.sha256 === recorded ? 'other' : 'damaged';
}

/**
 * Reads a blob and checks it, hashed while streaming so the check costs no extra pass, against
 * `expectedHash` (the caller's entry) or, without one, the SHA-256 and size its metadata records.
 * Wrong bytes are never returned.
 *
 * An object that matches its own metadata but not `expectedHash` is another version of the key:
 * it is a miss, and it is removed unless its manifest vouches for it (another machine's valid
 * entry must survive a reader whose index is out of date). Any other mismatch is read once more:
 * bytes that differ again mean a transfer fault (the read fails, nothing is removed); the same
 * wrong bytes twice mean the stored object is bad, and it is removed so no machine trusts it again.
 */
export async function readVerified(
  store: BucketStore,
  ref: ObjectRef,
  expectedHash: string | undefined,
  hooks: VerifiedReadHooks,
): Promise<Uint8Array | undefined> {
  const { counters } = hooks;
  const first = await store.getBlob(ref);
  const firstVerdict = first === undefined ? 'ok' : check(first, expectedHash);
  if (firstVerdict !== 'damaged') return settled(first, firstVerdict, hooks);
  counters.corrupt++;
  const second = await store.getBlob(ref);
  const secondVerdict = second === undefined ? 'ok' : check(second, expectedHash);
  if (secondVerdict !== 'damaged') return settled(second, secondVerdict, hooks);
  if (second!.sha256 !== first!.sha256) {
    hooks.onCorrupt(false, 'damaged');
    throw new TiercacheError(
      'E_CORRUPT_BLOB',
      `@tiercache/s3: ${store.layout.blob(ref)} arrived damaged twice (SHA-256 mismatch); not served`,
      { context: { type: ref.type, key: ref.key } },
    );
  }
  await hooks.remove();
  counters.corruptRemoved++;
  hooks.onCorrupt(true, 'damaged');
  counters.misses++;
  return undefined;
}

/** The answer for a read that was not damaged: the bytes, or a miss. */
async function settled(
  blob: DownloadedBlob | undefined,
  verdict: Exclude<Verdict, 'damaged'>,
  hooks: VerifiedReadHooks,
): Promise<Uint8Array | undefined> {
  const { counters } = hooks;
  if (blob !== undefined && verdict === 'ok') {
    counters.hits++;
    return blob.bytes;
  }
  counters.misses++;
  if (blob?.sha256 !== undefined && (await hooks.settle(blob.sha256))) {
    counters.corrupt++;
    counters.corruptRemoved++;
    hooks.onCorrupt(true, 'unvouched');
  }
  return undefined;
}
