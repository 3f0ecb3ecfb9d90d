import { asciiTags, foldImageText, generalTags, tokensOf } from './image-tokens.js';
import { readNumberWords } from './number-words.js';
import type { FormRules, PromptForms } from './prompt-forms.js';
import { literalToken, MAY_QUOTE, quotedSpans } from './quoted-text.js';

// The canonical form of an image prompt: what an image model is asked for, written one way.
//
// - Unicode NFKC, case, whitespace and punctuation ignored; apostrophes separate words.
// - Quoted text ("OPEN", 'Open 24/7', “Hello, World!”) is what the model renders: one literal
//   token, verbatim but for NFKC and outer whitespace. A prompt wholly inside one pair of
//   quotes is the prompt itself; an unbalanced quote is no quote and is dropped.
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

/** Filler and booster phrases by first word, longest first, in canonical words. */
export type PhraseTable = ReadonlyMap<string, readonly (readonly string[])[]>;

/** Articles dropped, synonyms replaced, number words as digits. */
export function canonicalWords(tokens: readonly string[], rules: FormRules): string[] {
  const { articles, synonyms, numberWords } = rules;
  const words: string[] = [];
  let numbers = false;
  for (const token of tokens) {
    if (articles.has(token)) continue;
    const word = synonyms.get(token) ?? token;
    if (numberWords.has(word)) numbers = true;
    words.push(word);
  }
  if (!numbers) return words;
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const number = numberWords.has(words[i]!) ? readNumberWords(words, i, rules.lists) : undefined;
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
export function phraseTable(phrases: readonly string[], rules: FormRules): PhraseTable {
  const table = new Map<string, string[][]>();
  for (const phrase of phrases) {
    const words = canonicalWords(tokensOf(foldImageText(phrase)), rules);
    if (words.length === 0) continue;
    const list = table.get(words[0]!) ?? [];
    list.push(words);
    table.set(words[0]!, list);
  }
  for (const list of table.values()) list.sort((a, b) => b.length - a.length);
  return table;
}

function withoutPhrases(words: readonly string[], phrases: PhraseTable): readonly string[] {
  if (!words.some((word) => phrases.has(word))) return words;
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
  const { ignorable } = rules;
  // Tags in order, repeats included: their words in order are the word form.
  const canonicalTags: string[] = [];
  const contentTags: string[] = [];
  for (const tokens of imageTags(prompt)) {
    const words = canonicalWords(tokens, rules);
    if (words.length === 0) continue;
    const tag = words.join(' ');
    canonicalTags.push(tag);
    const content = withoutPhrases(words, ignorable);
    if (content.length === words.length) contentTags.push(tag);
    else if (content.length > 0) contentTags.push(content.join(' '));
  }
  if (canonicalTags.length === 0) return undefined;
  return {
    canonical: bothForms(canonicalTags),
    content: contentTags.length === 0 ? [] : bothForms(contentTags),
  };
}

const readTags = (text: string) => asciiTags(text) ?? generalTags(text);

/** The tokens of each tag of an image prompt, a quoted text one token of the tag it stands in. */
function imageTags(prompt: string): string[][] {
  if (!MAY_QUOTE.test(prompt)) return readTags(prompt);
  const text = prompt.normalize('NFKC');
  const spans = quotedSpans(text);
  if (spans.length === 0) return readTags(text);
  const [first] = spans;
  if (spans.length === 1 && text.slice(0, first!.start).trim() === '' && text.slice(first!.end).trim() === '')
    return imageTags(text.slice(first!.start + 1, first!.end - 1));
  // The text between quotes is read alone; a quote never ends a tag, so the tag open before
  // it goes on after it.
  const tags: string[][] = [[]];
  const append = (more: string[][]) => {
    tags[tags.length - 1]!.push(...more[0]!);
    tags.push(...more.slice(1));
  };
  let from = 0;
  for (const span of spans) {
    append(readTags(text.slice(from, span.start)));
    if (span.text !== '') tags[tags.length - 1]!.push(literalToken(span.text));
    from = span.end;
  }
  append(readTags(text.slice(from)));
  return tags;
}

/**
 * The tag form (tags sorted, each once) and the word form (every word in order, "~" first so
 * the two kinds never compare equal): "lake at dawn golden light" shares the word form of
 * "lake at dawn, golden light", and "golden light, lake at dawn" shares its tag form.
 */
function bothForms(tags: readonly string[]): string[] {
  if (tags.length === 1) return [tags[0]!, `~${tags[0]}`];
  return [[...new Set(tags)].sort().join(', '), `~${tags.join(' ')}`];
}
