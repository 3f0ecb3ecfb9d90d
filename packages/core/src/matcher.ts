import type { Entry } from './entry.js';
import type { EntryIndex } from './entry-index.js';
import type { RequestKey } from './request.js';

export type MatchKind = 'exact' | 'similar';

export interface Match {
  entry: Entry;
  kind: MatchKind;
  /** 1 for exact matches; the similarity for similar ones. */
  score: number;
}

/**
 * Finds a stored entry for a request. Matchers run in order; the first that answers wins.
 * A matcher must never return an entry of another type or another params partition.
 */
export interface Matcher {
  readonly name: string;
  find(request: RequestKey, index: EntryIndex): Match | undefined | Promise<Match | undefined>;
}

/** The exact matcher: the request key looked up in the index. */
export function exactMatcher(): Matcher {
  return {
    name: 'exact',
    find(request, index) {
      const entry = index.get(request.type, request.key);
      return entry ? { entry, kind: 'exact', score: 1 } : undefined;
    },
  };
}
