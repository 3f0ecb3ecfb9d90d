import type { MatchDifference } from '@tiercache/core';
import { explainDifferences } from './explain-differences.js';
import { refuseUnknownOptions } from './invalid-option.js';
import { type FormKind, type FormRules, shareForm } from './prompt-forms.js';
import { type FormOptions, resolveFormRules, resolveForms } from './word-list-options.js';

export interface SimilarityGuardOptions extends FormOptions {
  /**
   * How each asset type's prompts are compared; a type not listed never passes the guard.
   * @default { tts: 'speech', image: 'image' }
   */
  forms?: Readonly<Record<string, FormKind>>;
}

/** What the guard decided for one (request, stored prompt) pair. */
export type GuardVerdict =
  | {
      allowed: true;
      /** `canonical` when the canonical forms are equal, else `similar`. */
      kind: 'canonical' | 'similar';
      /** Every difference, with the rule that allowed it. */
      differences: MatchDifference[];
    }
  | {
      allowed: false;
      /** `no-form` (type not guarded), `no-content` (nothing to compare), `content-differs`. */
      reason: 'no-form' | 'no-content' | 'content-differs';
    };

/**
 * Decides whether a stored prompt may answer a request: only when the two differ in nothing
 * but what the word lists call ignorable (articles, fillers, quality boosters; disfluencies
 * for speech) and what the canonical forms treat as equal (case, punctuation, tag order,
 * number words, synonyms; never inside quoted image text, which is literal). Word order inside a tag counts; any other differing word, number,
 * symbol, colour, count or negation refuses. Every similarity matcher runs its hits through it.
 */
export interface SimilarityGuard {
  check(type: string, requestedPrompt: string, storedPrompt: string): GuardVerdict;
  /** The form a type's prompts are compared in, if the guard covers the type. */
  formOf(type: string): FormKind | undefined;
  readonly rules: FormRules;
}

export function similarityGuard(options: SimilarityGuardOptions = {}): SimilarityGuard {
  refuseUnknownOptions<SimilarityGuardOptions>(options, ['language', 'words', 'forms']);
  const rules = resolveFormRules(options);
  const forms = resolveForms('forms', options.forms, { tts: 'speech', image: 'image' });
  return {
    rules,
    formOf: (type) => forms.get(type),
    check(type, requestedPrompt, storedPrompt) {
      const kind = forms.get(type);
      if (kind === undefined) return { allowed: false, reason: 'no-form' };
      const requested = rules.forms(kind, requestedPrompt);
      const stored = rules.forms(kind, storedPrompt);
      if (!requested || !stored || requested.content.length === 0)
        return { allowed: false, reason: 'no-content' };
      const canonical = shareForm(requested.canonical, stored.canonical);
      if (!canonical && !shareForm(requested.content, stored.content))
        return { allowed: false, reason: 'content-differs' };
      return {
        allowed: true,
        kind: canonical ? 'canonical' : 'similar',
        differences: explainDifferences(requestedPrompt, storedPrompt, kind, rules),
      };
    },
  };
}
