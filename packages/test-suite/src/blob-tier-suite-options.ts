import type { BlobRef, BlobTier } from '@tiercache/core';
import type { BehaviourGroup } from './behaviour-groups.js';
import type { TestRunner } from './test-runner.js';

/** The groups of `blobTierSuite`, in order; a caller may switch any off (with a reason). */
export const BLOB_TIER_GROUPS = [
  'contract',
  'round-trip',
  'delete',
  'content-addressing',
  'types',
  'concurrency',
  'safety',
  'read-verification',
  'usage',
  'materialize',
  'delete-entry',
  'entries',
  'describe',
] as const;

export type BlobTierGroupName = (typeof BLOB_TIER_GROUPS)[number];

export type BlobTierGroup = BehaviourGroup<BlobTier>;

export interface BlobTierSuiteOptions {
  /** Your runner's `{ describe, it, expect, beforeEach, afterEach }` (vitest, jest, bun). */
  test: TestRunner;
  /** Shown in every title: `BlobTier conformance: <name>`. */
  name: string;
  /** Creates a fresh, empty tier for each test. */
  create: () => BlobTier | Promise<BlobTier>;
  /** Releases what `create` made (servers, folders). @default calls `tier.close()` when present */
  destroy?: (tier: BlobTier) => void | Promise<void>;
  /** Largest blob to round-trip. @default 8 MiB */
  largeBlobBytes?: number;
  /**
   * Waits until what the tier accepted has landed where other processes see it (queued
   * uploads), for the checks that look from outside: `describe` and `corrupt`.
   * @default nothing to wait for
   */
  settle?: (tier: BlobTier) => Promise<void>;
  /**
   * Changes the stored bytes of the blob `ref` names behind the tier's back (a flipped bit in
   * a file, an object overwritten in the bucket), for the `read-verification` group of a tier
   * whose bytes can change after `put`.
   * @default none: that group fails for such a tier until it is given or the group switched off
   */
  corrupt?: (tier: BlobTier, ref: BlobRef) => Promise<void>;
  /**
   * Groups to switch off, each with the reason shown in its title. A group for an optional
   * member (`usage`, `materialize`, `delete-entry`, `entries`, `describe`) must be switched off
   * when the tier lacks the member; the suite then checks that it truly does.
   * @default {} (every group runs)
   */
  off?: Partial<Record<BlobTierGroupName, string>>;
}
