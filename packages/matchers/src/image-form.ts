import { readNumberWords } from './number-words.js';
import type { FormRules, PromptForms } from './prompt-forms.js';
import type { WordLists } from './word-lists.js';

// The canonical form of an image prompt: what an image model is asked for, written one way.
//
// - Unicode NFKC, case, whitespace and punctuation ignored; quotes and apostrophes dropped.
// - The prompt is a set of tags: split on `,` (not between digits), `;`, `|`, new lines and
//   sentence ends; duplicated tags count once and their order is ignored. Inside a tag the
//   word order is kept: "a cat chasing a mouse" ≠ "a mouse chasing a cat".
// - Articles are dropped; synonyms and spelling variants of the table are replaced; a run of
//   number words is its digits ("twenty one" = "21", "a hundred" = "100").
// - Digits stay exactly as written with what binds them ("16:9", "2+2=4", "1920x1080", "4k",
//   "5.99"); symbols and emoji are words of their own ("$", "%", "🐱").
//
// The content form (what the similarity guard compares) also drops filler and booster phrases
// ("image of", "highly detailed", "4k") and tags left empty by that.

const QUOTES = /["“”„‟«»‹›`´]/g;
// An apostrophe separates ("cat's" → cat s): dropping it would make "cat's toy" "cats toy".
const APOSTROPHES = /['‘’‚‛′]/g;
const TAG_SEPARATORS = /[;|\n]+|,(?!\d)|(?<!\d),|\.(?=\s|$)/u;
const TOKENS =
  /[-+−]?\d+(?:[.,:/x×*+\-−=^]\d+)*\p{L}*|[\p{L}\p{M}][\p{L}\p{M}\p{N}]*|\p{Extended_Pictographic}|[\p{S}&%#@*]/gu;
const GROUPED_THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;

/** Filler and booster phrases by first word, longest first, in canonical words. */
export type PhraseTable = ReadonlyMap<string, readonly (readonly string[])[]>;

/** Tokens of one tag: lowercase words, numbers with what binds them, symbols. */
export function tokensOf(tag: string): string[] {
  const out: string[] = [];
  for (const match of tag.matchAll(TOKENS)) {
    const token = match[0];
    out.push(GROUPED_THOUSANDS.test(token) ? token.replaceAll(',', '') : token);
  }
  return out;
}

/** Articles dropped, synonyms replaced, number words as digits. */
export function canonicalWords(
  tokens: readonly string[],
  lists: WordLists,
  articles: ReadonlySet<string>,
): string[] {
  const words: string[] = [];
  for (const token of tokens) {
    if (articles.has(token)) continue;
    words.push(lists.synonyms[token] ?? token);
  }
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const number = readNumberWords(words, i, lists);
    if (number) {
      out.push(String(number.value));
      i += number.length;
    } else {
      out.push(words[i]!);
      i++;
    }
  }
  return out;
}

/** The phrase table of `phrases`, each phrase in canonical words. */
export function phraseTable(phrases: readonly string[], lists: WordLists): PhraseTable {
  const articles = new Set(lists.articles);
  const table = new Map<string, string[][]>();
  for (const phrase of phrases) {
    const words = canonicalWords(
      tokensOf(phrase.normalize('NFKC').toLowerCase().replace(QUOTES, '').replace(APOSTROPHES, ' ')),
      lists,
      articles,
    );
    if (words.length === 0) continue;
    const list = table.get(words[0]!) ?? [];
    list.push(words);
    table.set(words[0]!, list);
  }
  for (const list of table.values()) list.sort((a, b) => b.length - a.length);
  return table;
}

function withoutPhrases(words: readonly string[], phrases: PhraseTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const found = phrases.get(words[i]!)?.find((phrase) => phrase.every((word, j) => words[i + j] === word));
    if (found) {
      i += found.length;
    } else {
      out.push(words[i]!);
      i++;
    }
  }
  return out;
}

/** The canonical and content forms of an image prompt; `undefined` when it holds no word. */
export function imageForms(prompt: string, rules: FormRules): PromptForms | undefined {
  const text = prompt.normalize('NFKC').toLowerCase().replace(QUOTES, '').replace(APOSTROPHES, ' ');
  const { lists, articles, ignorable } = rules;
  const canonicalTags = new Set<string>();
  const contentTags = new Set<string>();
  const canonicalWordsInOrder: string[] = [];
  const contentWordsInOrder: string[] = [];
  for (const tag of text.split(TAG_SEPARATORS)) {
    const words = canonicalWords(tokensOf(tag), lists, articles);
    if (words.length === 0) continue;
    canonicalTags.add(words.join(' '));
    canonicalWordsInOrder.push(...words);
    const content = withoutPhrases(words, ignorable);
    if (content.length === 0) continue;
    contentTags.add(content.join(' '));
    contentWordsInOrder.push(...content);
  }
  if (canonicalTags.size === 0) return undefined;
  return {
    canonical: bothForms(canonicalTags, canonicalWordsInOrder),
    content: contentTags.size === 0 ? [] : bothForms(contentTags, contentWordsInOrder),
  };
}

/**
 * The tag form (tags sorted, each once) and the word form (every word in order, "~" first so
 * the two kinds never compare equal): "lake at dawn golden light" shares the word form of
 * "lake at dawn, golden light", and "golden light, lake at dawn" shares its tag form.
 */
function bothForms(tags: ReadonlySet<string>, inOrder: readonly string[]): string[] {
  const tagForm = [...tags].sort().join(', ');
  return [tagForm, `~${inOrder.join(' ')}`];
}
