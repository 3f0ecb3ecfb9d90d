import type { Entry, EntryIndex, Match, Matcher, RequestKey } from '@tiercache/core';
import { explainDifferences } from './explain-differences.js';
import { FormPartition } from './form-partition.js';
import type { SimilarityGuard } from './guard.js';
import { IndexMirror, mirroredMatcherMembers } from './index-mirror.js';
import type { MatcherMemoryUsage } from './memory-usage.js';
import { type FormKind, type PromptForms, shareForm } from './prompt-forms.js';
import { jaccard, tokenSet } from './tokenize.js';

/** A matcher over prompt forms: synchronous, one map access per lookup. */
export interface FormMatcher extends Matcher {
  find(request: RequestKey, index: EntryIndex): Match | undefined;
  /** What the form tables hold. */
  memoryUsage(): MatcherMemoryUsage;
  /** Unsubscribes from the indexes it followed and frees its tables. */
  close(): void;
}

// Candidates confirmed per lookup at most: more than one only after a hash collision or when
// the index lost entries another process deleted.
const MAX_CANDIDATES = 16;

/**
 * Canonical hits (equal canonical forms) and, when `similar`, guarded similar hits (equal
 * content forms), both found by one map access in the partition's form table.
 */
export function formMatcher(settings: {
  name: string;
  policy: string;
  guard: SimilarityGuard;
  similar: boolean;
}): FormMatcher {
  const { name, policy, guard, similar } = settings;
  const { rules } = guard;
  const mirror = new IndexMirror((type) => new FormPartition(rules, guard.formOf(type) as FormKind, similar));

  function answer(
    request: RequestKey,
    kind: FormKind,
    entry: Entry,
    matchKind: 'canonical' | 'similar',
  ): Match {
    const score =
      matchKind === 'canonical' ? 1 : jaccard(tokenSet(request.prompt, 1), tokenSet(entry.prompt, 1));
    return {
      entry,
      kind: matchKind,
      score,
      explanation: {
        matcher: name,
        policy,
        requestedPrompt: request.prompt,
        matchedPrompt: entry.prompt,
        differences: explainDifferences(request.prompt, entry.prompt, kind, rules),
      },
    };
  }

  function confirm(
    request: RequestKey,
    index: EntryIndex,
    partition: FormPartition,
    candidates: readonly string[],
    agrees: (stored: PromptForms) => boolean,
    kind: FormKind,
  ): Entry | undefined {
    let tried = 0;
    for (const key of candidates) {
      if (key === request.key) continue;
      if (++tried > MAX_CANDIDATES) return undefined;
      const entry = index.get(request.type, key);
      if (!entry || entry.paramsHash !== request.paramsHash) {
        partition.delete(key); // another process deleted it
        continue;
      }
      const stored = rules.forms(kind, entry.prompt);
      if (stored && agrees(stored)) return entry;
    }
    return undefined;
  }

  function find(request: RequestKey, index: EntryIndex): Match | undefined {
    const kind = guard.formOf(request.type);
    if (kind === undefined) return undefined;
    const forms = rules.forms(kind, request.prompt);
    if (!forms) return undefined;
    const partition = mirror.partition(index, request.type, request.paramsHash);
    // The stored entry sharing one of the request's forms of that side, confirmed in the index.
    const sharing = (side: 'canonical' | 'content') =>
      confirm(
        request,
        index,
        partition,
        partition[side](forms[side]),
        (stored) => shareForm(stored[side], forms[side]),
        kind,
      );
    const canonical = sharing('canonical');
    if (canonical) return answer(request, kind, canonical, 'canonical');
    if (!similar || forms.content.length === 0) return undefined;
    const close = sharing('content');
    return close ? answer(request, kind, close, 'similar') : undefined;
  }

  return { name, find, ...mirroredMatcherMembers(mirror) };
}
