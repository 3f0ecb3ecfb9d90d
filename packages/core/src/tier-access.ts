import { readFile } from 'node:fs/promises';
import type { BlobTier } from './contracts/blob-tier.js';
import type { Entry } from './contracts/entry.js';
import { causeOf, isUnwritableDestination, unwritableDestination, writeDestination } from './destination.js';
import { coreErrors } from './error-factories.js';
import type { CacheEventEmitter } from './events.js';
import { asTiercacheError, withTimeout } from './guard.js';
import { hashContent } from './request.js';

const FAILED = Symbol('failed');
type Failed = typeof FAILED;

/** What reading an entry through the tiers gave: a value, proof of absence, or no answer. */
export type ReadOutcome<T> = { value: T; tier: string } | 'missing' | 'unavailable';

/**
 * Every tier call goes through here: bounded by a timeout, failures turned into `error`
 * events and a sentinel, so no tier can fail or stall a caller.
 */
export class TierAccess {
  readonly hits = new Map<string, number>();
  readonly errors = new Map<string, number>();
  readonly #pending = new Set<Promise<unknown>>();
  /** Whether any tier can describe entries stored elsewhere (a shared bucket). */
  readonly canDescribe: boolean;

  constructor(
    readonly tiers: readonly BlobTier[],
    private readonly timeoutFor: (tier: BlobTier) => number,
    private readonly events: CacheEventEmitter,
    /** Hand out the bytes of tiers that share what they keep (memory) without a copy. */
    private readonly zeroCopyHits = false,
  ) {
    this.canDescribe = tiers.some((tier) => typeof tier.describe === 'function');
    for (const tier of tiers) {
      this.hits.set(tier.name, 0);
      this.errors.set(tier.name, 0);
    }
  }

  /** Runs one tier operation under its timeout; a failure is reported and answers FAILED. */
  call<T>(tier: BlobTier, operation: string, run: () => Promise<T>): Promise<T | Failed> {
    let promise: Promise<T>;
    try {
      promise = run();
    } catch (error) {
      return Promise.resolve(this.#fail(tier, operation, error));
    }
    return withTimeout(promise, this.timeoutFor(tier), { tier: tier.name, operation }).then(
      undefined,
      (error) => this.#fail(tier, operation, error),
    );
  }

  #fail(tier: BlobTier, operation: string, error: unknown): Failed {
    this.errors.set(tier.name, (this.errors.get(tier.name) ?? 0) + 1);
    this.events.emit('error', {
      operation,
      tier: tier.name,
      error: asTiercacheError(error, 'E_TIER_UNAVAILABLE', { tier: tier.name, operation }),
    });
    return FAILED;
  }

  /**
   * Reads the entry's bytes from the first tier that has an intact copy. Corrupt copies are
   * deleted; tiers that answered "absent" are backfilled in the background. `missing` means
   * every tier answered and none had it.
   */
  async read(entry: Entry): Promise<ReadOutcome<Uint8Array>> {
    const missed: BlobTier[] = [];
    let failed = false;
    for (const tier of this.tiers) {
      const bytes = await this.#readIntact(tier, entry);
      if (bytes === FAILED) failed = true;
      else if (bytes === undefined) missed.push(tier);
      else {
        this.#countHit(tier);
        // `new Uint8Array` copies even when a tier returned a Buffer (whose `slice` would share
        // memory). A tier's own bytes are copied for the caller, who may change them...
        const shared = tier.sharesReadBytes === true;
        const value = shared && !this.zeroCopyHits ? new Uint8Array(bytes) : bytes;
        // ...and so are the caller's bytes for the backfill, which writes while the caller works.
        if (missed.length > 0) this.#backfill(missed, entry, shared ? bytes : new Uint8Array(bytes));
        return { value, tier: tier.name };
      }
    }
    // A tier that failed may still hold the blob: only an answer of "absent" everywhere is proof.
    return failed ? 'unavailable' : 'missing';
  }

  /** One tier's copy if intact; a corrupt copy is reported, deleted and treated as absent. */
  async #readIntact(tier: BlobTier, entry: Entry): Promise<Uint8Array | undefined | Failed> {
    const bytes = await this.call(tier, 'get', () => tier.get(entry));
    if (bytes === FAILED || bytes === undefined) return bytes;
    if (this.#intact(tier, entry, bytes)) return bytes;
    this.#reportCorrupt(tier, entry, bytes.length);
    await this.call(tier, 'delete', () => tier.delete(entry));
    return undefined;
  }

  /**
   * Writes the entry's content to `destPath` as the caller's own file. Tiers that can
   * materialize (disk: a clone or copy, verified by the tier) do so; others are read and
   * their bytes written. Tiers above the one that served are backfilled from the file.
   */
  async deliver(entry: Entry, destPath: string): Promise<ReadOutcome<string>> {
    const missed: BlobTier[] = [];
    let failed = false;
    for (const tier of this.tiers) {
      let bytes: Uint8Array | undefined;
      let delivered: boolean | Failed;
      if (tier.materialize) {
        const materialize = tier.materialize.bind(tier);
        let unwritable: unknown;
        delivered = await this.call(tier, 'materialize', async () => {
          try {
            return await materialize(entry, destPath);
          } catch (error) {
            // The caller's disk is full, not the tier broken: no other tier (nor a generation)
            // could write that file either.
            if (!isUnwritableDestination(error, destPath)) throw error;
            unwritable = error;
            return false;
          }
        });
        if (unwritable !== undefined) throw unwritableDestination(destPath, causeOf(unwritable));
      } else {
        const got = await this.#readIntact(tier, entry);
        if (got instanceof Uint8Array) {
          bytes = got;
          await writeDestination(destPath, got);
        }
        delivered = got === FAILED ? FAILED : got !== undefined;
      }
      if (delivered === FAILED) failed = true;
      else if (!delivered) missed.push(tier);
      else {
        this.#countHit(tier);
        if (missed.length > 0) {
          if (bytes) this.#backfill(missed, entry, bytes);
          else this.background(this.#backfillFromFile(missed, entry, destPath));
        }
        return { value: destPath, tier: tier.name };
      }
    }
    return failed ? 'unavailable' : 'missing';
  }

  async #backfillFromFile(missed: BlobTier[], entry: Entry, path: string): Promise<void> {
    const bytes = new Uint8Array(await readFile(path));
    // The caller may already be editing its file: only an unchanged copy goes up.
    if (bytes.length === entry.size && hashContent(bytes) === entry.contentHash)
      this.#backfill(missed, entry, bytes);
  }

  #backfill(missed: BlobTier[], entry: Entry, bytes: Uint8Array): void {
    this.background(
      Promise.all(missed.map((upper) => this.call(upper, 'backfill', () => upper.put(entry, bytes)))),
    );
  }

  #countHit(tier: BlobTier): void {
    this.hits.set(tier.name, (this.hits.get(tier.name) ?? 0) + 1);
  }

  #intact(tier: BlobTier, entry: Entry, bytes: Uint8Array): boolean {
    if (bytes.length !== entry.size) return false;
    // A self-verifying tier already compared these bytes with `entry.contentHash` (that is its
    // contract): hashing them again would only double the cost of every read.
    if (tier.readVerification !== 'by-cache') return true;
    return hashContent(bytes) === entry.contentHash;
  }

  #reportCorrupt(tier: BlobTier, entry: Entry, actualSize: number): void {
    this.events.emit('error', {
      operation: 'verify',
      tier: tier.name,
      error: coreErrors.corruptBlob(
        `tier "${tier.name}" returned bytes for ${entry.type}/${entry.key} that do not match the entry's content hash; the copy was deleted`,
        {
          context: {
            tier: tier.name,
            type: entry.type,
            key: entry.key,
            expectedSize: entry.size,
            actualSize,
          },
        },
      ),
    });
    this.events.emit('evict', { type: entry.type, key: entry.key, reason: 'corrupt', tier: tier.name });
  }

  /** Writes to every tier; resolves with the names of the tiers that stored the bytes. */
  async writeAll(entry: Entry, bytes: Uint8Array): Promise<string[]> {
    const results = await Promise.all(
      this.tiers.map((tier) => this.call(tier, 'put', () => tier.put(entry, bytes))),
    );
    return this.tiers.filter((_, i) => results[i] !== FAILED).map((tier) => tier.name);
  }

  /**
   * Removes an entry's traces from every tier: its per-entry records, and its blob when no
   * index entry references that content any more (`unreferenced`). The entry is passed whole:
   * tiers with records need its key.
   */
  async removeEntry(entry: Entry, unreferenced: boolean): Promise<void> {
    await Promise.all(
      this.tiers.map(async (tier) => {
        if (tier.deleteEntry) {
          const deleteEntry = tier.deleteEntry.bind(tier);
          await this.call(tier, 'deleteEntry', () => deleteEntry(entry));
        }
        if (unreferenced) await this.call(tier, 'delete', () => tier.delete(entry));
      }),
    );
  }

  async clearAll(type: string | undefined): Promise<void> {
    await Promise.all(this.tiers.map((tier) => this.call(tier, 'clear', () => tier.clear(type))));
  }

  /** Asks shared tiers for an entry another machine stored under this key. */
  async describe(type: string, key: string): Promise<Entry | undefined> {
    for (const tier of this.tiers) {
      if (!tier.describe) continue;
      const describe = tier.describe.bind(tier);
      const entry = await this.call(tier, 'describe', () => describe(type, key));
      if (entry !== FAILED && entry !== undefined && entry.type === type && entry.key === key) return entry;
    }
    return undefined;
  }

  async usage(tier: BlobTier): Promise<{ entries: number; bytes: number } | undefined> {
    if (!tier.usage) return undefined;
    const usage = tier.usage.bind(tier);
    const result = await this.call(tier, 'usage', () => usage());
    return result === FAILED ? undefined : result;
  }

  background(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
