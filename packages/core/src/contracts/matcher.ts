import type { Entry } from './entry.js';
import type { EntryIndex } from './entry-index.js';
import type { RequestKey } from './request.js';
import type { ContractVersion } from './version.js';

/**
 * How a request found its entry: the same key (`exact`), the same request written differently
 * (`canonical`: equal canonical forms), or an earlier prompt close enough that a guarded
 * similarity policy allowed it (`similar`).
 */
export type MatchKind = 'exact' | 'canonical' | 'similar';

/** One place where the request's prompt and the matched prompt differ, and the rule that allowed it. */
export interface MatchDifference {
  /** The word as the request has it; `null` when only the stored prompt has it. */
  requested: string | null;
  /** The word as the stored prompt has it; `null` when only the request has it. */
  stored: string | null;
  /** The rule that made the difference harmless, e.g. `article`, `synonym`, `booster`, `number-word`. */
  rule: string;
}

/** Why a matcher answered: enough for a user to judge (and reject) the hit. */
export interface MatchExplanation {
  /** The matcher that answered. */
  matcher: string;
  /** The named policy it applied, e.g. `guarded`, `jaccard`. */
  policy: string;
  /** The request's prompt (normalized). */
  requestedPrompt: string;
  /** The stored entry's prompt. */
  matchedPrompt: string;
  /** Every difference between the two, each with the rule that allowed it; empty for exact hits. */
  differences: MatchDifference[];
}

export interface Match {
  entry: Entry;
  kind: MatchKind;
  /** 1 for exact and canonical matches; the similarity for similar ones. */
  score: number;
  /** Present on canonical and similar matches. */
  explanation?: MatchExplanation;
}

/**
 * Finds a stored entry for a request. Matchers run in order; the first that answers wins.
 * A matcher must never return an entry of another type or another params partition.
 */
export interface Matcher {
  /**
   * Optional: the contract version this part was written for (`CONTRACT_VERSION`). A cache
   * refuses a part that declares another version with `E_INVALID_OPTIONS`.
   */
  readonly contractVersion?: ContractVersion;
  readonly name: string;
  find(request: RequestKey, index: EntryIndex): Match | undefined | Promise<Match | undefined>;
}
