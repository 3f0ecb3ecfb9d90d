import type { MatchExplanation, Matcher } from './contracts/matcher.js';
import { CONTRACT_VERSION } from './contracts/version.js';

/** The exact matcher: the request key looked up in the index. */
export function exactMatcher(): Matcher {
  return {
    contractVersion: CONTRACT_VERSION,
    name: 'exact',
    find(request, index) {
      const entry = index.get(request.type, request.key);
      return entry ? { entry, kind: 'exact', score: 1 } : undefined;
    },
  };
}

/** `{ explanation }` when there is one, else nothing: results carry no `explanation: undefined`. */
export function withExplanation(from: { explanation?: MatchExplanation }): {
  explanation?: MatchExplanation;
} {
  return from.explanation ? { explanation: from.explanation } : {};
}
