import type { MatchDifference } from '@tiercache/core';
import { canonicalWords } from './image-form.js';
import { tokensOf } from './image-tokens.js';
import type { FormKind, FormRules } from './prompt-forms.js';
import { words } from './tokenize.js';

// Explains a canonical or guarded hit word by word, for a person judging it: the words only one
// prompt has, paired where they mean the same, each with the rule that made it harmless. It
// describes a decision the forms already made; it never decides anything itself.

const STRIP = /[^\p{L}\p{M}\p{N}\p{S}&%#@*]/gu;

/** Multiset difference: the chunks of `a` not matched by an equal chunk of `b`, in order. */
function unmatched(a: readonly string[], b: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const chunk of b) counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  const out: string[] = [];
  for (const chunk of a) {
    const left = counts.get(chunk) ?? 0;
    if (left > 0) counts.set(chunk, left - 1);
    else out.push(chunk);
  }
  return out;
}

/** Pairs chunks of both sides whose `key` is equal; paired chunks leave both lists. */
function pair(
  requested: string[],
  stored: string[],
  key: (chunk: string) => string,
  rule: (requested: string, stored: string) => string,
  out: MatchDifference[],
): void {
  for (let i = 0; i < requested.length; i++) {
    const wanted = key(requested[i]!);
    if (wanted.length === 0) continue;
    const j = stored.findIndex((chunk) => key(chunk) === wanted);
    if (j < 0) continue;
    out.push({ requested: requested[i]!, stored: stored[j]!, rule: rule(requested[i]!, stored[j]!) });
    requested.splice(i--, 1);
    stored.splice(j, 1);
  }
}

function ignorableRule(
  word: string,
  kind: FormKind,
  rules: FormRules,
  other: readonly string[],
): string | undefined {
  if (word.length === 0) return 'punctuation';
  if (kind === 'speech') return rules.disfluencies.has(word) ? 'disfluency' : undefined;
  if (rules.articles.has(word)) return 'article';
  if (rules.lists.boosters.some((phrase) => phrase.split(/[ -]/).includes(word))) return 'booster';
  if (rules.lists.fillers.some((phrase) => phrase.split(/[ -]/).includes(word))) return 'filler';
  if (other.includes(word)) return 'duplicate';
  return undefined;
}

/** Every difference between two prompts that the forms of `kind` treat as equal (or ignorable). */
export function explainDifferences(
  requestedPrompt: string,
  storedPrompt: string,
  kind: FormKind,
  rules: FormRules,
): MatchDifference[] {
  const chunks = (text: string) => text.normalize('NFKC').split(/\s+/).filter(Boolean);
  const requestedChunks = chunks(requestedPrompt);
  const storedChunks = chunks(storedPrompt);
  const requested = unmatched(requestedChunks, storedChunks);
  const stored = unmatched(storedChunks, requestedChunks);
  const out: MatchDifference[] = [];
  const stripped = (chunk: string) => chunk.toLowerCase().replace(STRIP, '');
  pair(
    requested,
    stored,
    (chunk) => chunk.toLowerCase(),
    () => 'case',
    out,
  );
  pair(requested, stored, stripped, () => 'punctuation', out);
  const meaning = (chunk: string) =>
    kind === 'speech'
      ? (rules.forms('speech', chunk)?.canonical[0] ?? '')
      : canonicalWords(tokensOf(stripped(chunk)), rules).join(' ');
  const hasDigit = (text: string) => /\p{N}/u.test(text);
  pair(
    requested,
    stored,
    meaning,
    (a, b) => (hasDigit(a) !== hasDigit(b) ? 'number-word' : kind === 'speech' ? 'spoken-form' : 'synonym'),
    out,
  );
  const single = (side: string[], other: readonly string[], asRequested: boolean) => {
    const otherWords = other.map(stripped);
    for (let i = 0; i < side.length; i++) {
      const rule = ignorableRule(stripped(side[i]!), kind, rules, otherWords);
      if (rule === undefined) continue;
      out.push(
        asRequested
          ? { requested: side[i]!, stored: null, rule }
          : { requested: null, stored: side[i]!, rule },
      );
      side.splice(i--, 1);
    }
  };
  single(requested, storedChunks, true);
  single(stored, requestedChunks, false);
  if (requested.length > 0 || stored.length > 0) {
    out.push({
      requested: requested.length > 0 ? requested.join(' ') : null,
      stored: stored.length > 0 ? stored.join(' ') : null,
      rule: kind === 'speech' ? 'spoken-form' : 'canonical-form',
    });
  }
  if (out.length === 0 && requestedPrompt !== storedPrompt) {
    const sameOrder = requestedChunks.join(' ') === storedChunks.join(' ');
    out.push({
      requested: requestedPrompt,
      stored: storedPrompt,
      rule: sameOrder ? 'whitespace' : 'tag-order',
    });
  }
  return out;
}

/**
 * The words only one prompt has, each with the same `rule`: the explanation of a policy that
 * scores prompts without judging their words (Jaccard, unguarded embeddings).
 */
export function wordDifferences(
  requestedPrompt: string,
  storedPrompt: string,
  rule: string,
): MatchDifference[] {
  const requested = words(requestedPrompt);
  const stored = words(storedPrompt);
  return [
    ...unmatched(requested, stored).map((word) => ({ requested: word, stored: null, rule })),
    ...unmatched(stored, requested).map((word) => ({ requested: null, stored: word, rule })),
  ];
}
