import { invalidOption } from './invalid-option.js';
import { type FormKind, FormRules } from './prompt-forms.js';
import { WORD_LISTS, type WordLists } from './word-lists.js';

/** The lists a matcher may override: each replaces the language's list entirely. */
export interface WordListOverrides {
  articles?: readonly string[];
  fillers?: readonly string[];
  boosters?: readonly string[];
  disfluencies?: readonly string[];
  synonyms?: Readonly<Record<string, string>>;
}

/** Options every form-based matcher (and the guard) shares. */
export interface FormOptions {
  /**
   * Language of the word lists (a key of `WORD_LISTS`).
   * @default 'en'
   */
  language?: string;
  /**
   * Lists replacing the language's own (see `WordLists`); validated at construction: an
   * ignorable entry may not be a negation or a bare number.
   * @default {}
   */
  words?: WordListOverrides;
}

const LIST_NAMES = ['articles', 'fillers', 'boosters', 'disfluencies'] as const;
const ENTRY = /^[\p{Ll}\p{Lo}\p{M}\p{N}' -]{1,64}$/u;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkList(option: string, value: unknown, negations: ReadonlySet<string>): readonly string[] {
  if (!Array.isArray(value)) invalidOption(option, value, 'an array of lowercase words or phrases');
  value.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string' || !ENTRY.test(entry) || entry.trim() !== entry || entry.length === 0) {
      invalidOption(`${option}[${i}]`, entry, 'a lowercase word or phrase of at most 64 characters');
    }
    for (const word of entry.split(/[ -]+/)) {
      // Ignoring one of these would serve a different picture or sentence.
      if (negations.has(word))
        invalidOption(`${option}[${i}]`, entry, 'no negation word (it changes the output)');
      if (/^\p{N}+$/u.test(word))
        invalidOption(`${option}[${i}]`, entry, 'no bare number (it changes the output)');
    }
  });
  return Object.freeze([...value]);
}

function checkSynonyms(value: unknown, negations: ReadonlySet<string>): Readonly<Record<string, string>> {
  if (!isPlainObject(value))
    invalidOption('words.synonyms', value, 'an object mapping a word to the word it means');
  const out: Record<string, string> = {};
  for (const [word, target] of Object.entries(value)) {
    const option = `words.synonyms.${word}`;
    if (!/^[\p{Ll}\p{Lo}\p{M}\p{N}]{1,64}$/u.test(word))
      invalidOption(option, word, 'a lowercase single word as key');
    if (typeof target !== 'string' || !/^[\p{Ll}\p{Lo}\p{M}\p{N}]{1,64}$/u.test(target)) {
      invalidOption(option, target, 'a lowercase single word');
    }
    if (negations.has(word) !== negations.has(target)) {
      invalidOption(option, target, 'a word that negates exactly when the key does');
    }
    out[word] = target;
  }
  return Object.freeze(out);
}

/** Validates `language` and `words` once and returns the rules the forms apply. */
export function resolveFormRules(options: FormOptions): FormRules {
  const language = options.language ?? 'en';
  const base = typeof language === 'string' ? WORD_LISTS[language] : undefined;
  if (!base) invalidOption('language', language, `one of ${Object.keys(WORD_LISTS).join(', ')}`);
  const words: unknown = options.words ?? {};
  if (!isPlainObject(words)) invalidOption('words', words, 'an object of word lists');
  const negations = new Set(base.negations);
  const lists: { -readonly [K in keyof WordLists]: WordLists[K] } = { ...base };
  for (const [name, value] of Object.entries(words)) {
    if (name === 'synonyms') lists.synonyms = checkSynonyms(value, negations);
    else if ((LIST_NAMES as readonly string[]).includes(name)) {
      lists[name as (typeof LIST_NAMES)[number]] = checkList(`words.${name}`, value, negations);
    } else {
      invalidOption(
        `words.${name}`,
        value,
        `nothing: the lists are ${[...LIST_NAMES, 'synonyms'].join(', ')}`,
      );
    }
  }
  return new FormRules(Object.freeze(lists));
}

/** Validates a per-type map of form kinds. */
export function resolveForms(
  option: string,
  value: unknown,
  fallback: Readonly<Record<string, FormKind>>,
): ReadonlyMap<string, FormKind> {
  if (value === undefined) return new Map(Object.entries(fallback));
  if (!isPlainObject(value))
    invalidOption(option, value, "an object mapping asset types to 'speech' or 'image'");
  const out = new Map<string, FormKind>();
  for (const [type, kind] of Object.entries(value)) {
    if (kind !== 'speech' && kind !== 'image')
      invalidOption(`${option}.${type}`, kind, "'speech' or 'image'");
    out.set(type, kind);
  }
  return out;
}
