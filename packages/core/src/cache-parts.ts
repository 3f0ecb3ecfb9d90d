import type { EntryIndex } from './contracts/entry-index.js';
import type { CacheEventEmitter } from './events.js';
import type { SessionCounters } from './session-counters.js';
import type { TierAccess } from './tier-access.js';

/** Runs an index call; a failing index is reported and answers `fallback`. */
export type IndexCall = <T>(operation: string, run: () => T, fallback: T) => T;

/** The parts of one cache that its read and write paths share. */
export interface CacheParts {
  index: EntryIndex;
  tiers: TierAccess;
  events: CacheEventEmitter;
  session: SessionCounters;
  indexCall: IndexCall;
  now: () => number;
}
