import { exactMatcher, type Matcher } from '@tiercache/core';
import {
  canonicalMatcher,
  DEFAULT_JACCARD_THRESHOLD,
  type FormKind,
  guardedMatcher,
  jaccardMatcher,
} from '@tiercache/matchers';
import { invalidOption, isPlainObject } from './invalid.js';
import type { MediaPolicies, PolicyName, SimilarityPolicy } from './media-types.js';

/** Speech canonical (a similar sentence is other words); images guarded similarity. */
export const DEFAULT_SIMILARITY_POLICIES = Object.freeze({
  tts: 'canonical',
  image: 'guarded',
} as const satisfies Required<MediaPolicies>);

/** The policy names, in order from strictest to loosest. */
export const SIMILARITY_POLICY_NAMES: readonly PolicyName[] = Object.freeze([
  'exact-only',
  'canonical',
  'guarded',
  'jaccard',
]);

/** A validated policy: a name with its threshold, or the caller's own matcher. */
export type ResolvedPolicy =
  | { name: 'exact-only' | 'canonical' | 'guarded' }
  | { name: 'jaccard'; threshold: number }
  | { name: 'custom'; matcher: Matcher };

const FORMS: Record<'tts' | 'image', FormKind> = { tts: 'speech', image: 'image' };

const EXPECTED = `${SIMILARITY_POLICY_NAMES.map((name) => `'${name}'`).join(', ')}, { policy: 'jaccard', threshold } or a Matcher`;

function isMatcher(value: unknown): value is Matcher {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Matcher).name === 'string' &&
    typeof (value as Matcher).find === 'function'
  );
}

const isThreshold = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 1;

/** Validates one type's policy; `undefined` gives `fallback`. */
export function resolvePolicy(option: string, policy: unknown, fallback: SimilarityPolicy): ResolvedPolicy {
  const value = policy ?? fallback;
  if (value === 'jaccard') return { name: 'jaccard', threshold: DEFAULT_JACCARD_THRESHOLD };
  if (typeof value === 'string' && (SIMILARITY_POLICY_NAMES as readonly string[]).includes(value)) {
    return { name: value as 'exact-only' | 'canonical' | 'guarded' };
  }
  if (isMatcher(value)) return { name: 'custom', matcher: value };
  if (
    isPlainObject(value) &&
    value.policy === 'jaccard' &&
    Object.keys(value).every((key) => key === 'policy' || key === 'threshold')
  ) {
    if (isThreshold(value.threshold)) return { name: 'jaccard', threshold: value.threshold };
    return invalidOption(`${option}.threshold`, value.threshold, 'a number greater than 0 and at most 1');
  }
  return invalidOption(option, value, EXPECTED);
}

/**
 * Whether `value` is a `SimilarityPolicy` `createMediaCache` accepts, for settings loaders that
 * report their own errors.
 */
export function isSimilarityPolicy(value: unknown): value is SimilarityPolicy {
  if (value === undefined) return false;
  try {
    resolvePolicy('policy', value, value as SimilarityPolicy);
    return true;
  } catch {
    return false;
  }
}

/** One type's matcher only answers requests of that type. */
function onlyFor(type: string, matcher: Matcher): Matcher {
  return {
    name: matcher.name,
    ...(matcher.contractVersion === undefined ? {} : { contractVersion: matcher.contractVersion }),
    find: (request, index) => (request.type === type ? matcher.find(request, index) : undefined),
  };
}

/** The matcher chain of a media cache: exact first, then what each type's policy adds. */
export function buildMatchers(policies: Readonly<Record<'tts' | 'image', ResolvedPolicy>>): Matcher[] {
  const matchers: Matcher[] = [exactMatcher()];
  const canonical: Partial<Record<string, FormKind>> = {};
  const guarded: Partial<Record<string, FormKind>> = {};
  const jaccard: Record<string, number | 'exact-only'> = { tts: 'exact-only', image: 'exact-only' };
  const custom = new Map<Matcher, string[]>();
  for (const type of ['tts', 'image'] as const) {
    const policy = policies[type];
    if (policy.name === 'canonical') canonical[type] = FORMS[type];
    else if (policy.name === 'guarded') guarded[type] = FORMS[type];
    else if (policy.name === 'jaccard') jaccard[type] = policy.threshold;
    else if (policy.name === 'custom')
      custom.set(policy.matcher, [...(custom.get(policy.matcher) ?? []), type]);
  }
  if (Object.keys(canonical).length > 0)
    matchers.push(canonicalMatcher({ forms: canonical as Record<string, FormKind> }));
  if (Object.keys(guarded).length > 0)
    matchers.push(guardedMatcher({ forms: guarded as Record<string, FormKind> }));
  if (jaccard.tts !== 'exact-only' || jaccard.image !== 'exact-only') {
    matchers.push(jaccardMatcher({ thresholds: jaccard }));
  }
  for (const [matcher, types] of custom) {
    matchers.push(types.length === 2 ? matcher : onlyFor(types[0]!, matcher));
  }
  return matchers;
}
