// The tags of an image prompt and the tokens of each: lowercase words, numbers with what binds
// them ("16:9", "2+2=4", "1,000", "4k"), symbols. Two readers that must agree on every printable
// ASCII text (a property test holds them to it): the general one, on Unicode classes, and a
// scanner for printable ASCII without quotes, most prompts, which costs a fraction of it.

const QUOTES = /["“”„‟«»‹›`´]/g;
// An apostrophe separates ("cat's" → cat s): dropping it would make "cat's toy" "cats toy".
const APOSTROPHES = /['‘’‚‛′]/g;
const TAG_SEPARATORS = /[;|\n]+|,(?!\d)|(?<!\d),|\.(?=\s|$)/u;
const TOKENS =
  /[-+−]?\d+(?:[.,:/x×*+\-−=^]\d+)*\p{L}*|[\p{L}\p{M}][\p{L}\p{M}\p{N}]*|\p{Extended_Pictographic}|[\p{S}&%#@*]/gu;
const GROUPED_THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;

const ungroup = (token: string) => (GROUPED_THOUSANDS.test(token) ? token.replaceAll(',', '') : token);

/** Tokens of one tag (lowercase, quotes gone), by the general reader. */
export function tokensOf(tag: string): string[] {
  const out: string[] = [];
  for (const match of tag.matchAll(TOKENS)) out.push(ungroup(match[0]));
  return out;
}

/** Lowercase text without quotes, apostrophes as spaces: what both readers read. */
export function foldImageText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(QUOTES, '').replace(APOSTROPHES, ' ');
}

/** The tokens of each tag of a prompt, by the general reader (tags without tokens included). */
export function generalTags(prompt: string): string[][] {
  return foldImageText(prompt).split(TAG_SEPARATORS).map(tokensOf);
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isLetter = (code: number) => code >= 97 && code <= 122;
// The general reader turns apostrophes into spaces before it splits tags.
const isSpace = (code: number) => code === 32 || code === 39;
// Signs that bind two digits inside a number: . , : / x * + - = ^
const BINDS = new Set([46, 44, 58, 47, 120, 42, 43, 45, 61, 94]);
// ASCII symbols that are tokens of their own: $ + < = > ^ ~ & % # @ *
const SYMBOLS = new Set([36, 43, 60, 61, 62, 94, 126, 38, 37, 35, 64, 42]);

/**
 * The tokens of each tag of a printable-ASCII prompt without quotes, in one pass over its
 * code units; `undefined` for any other text (the general reader takes it).
 */
export function asciiTags(prompt: string): string[][] | undefined {
  const text = prompt.toLowerCase();
  const length = text.length;
  const at = (i: number) => (i < length ? text.charCodeAt(i) : -1);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 34 || code === 96) return undefined;
  }
  const tags: string[][] = [];
  let tag: string[] = [];
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    const next = at(i + 1);
    const isSeparator =
      code === 59 ||
      code === 124 ||
      (code === 44 && !(isDigit(at(i - 1)) && isDigit(next))) ||
      (code === 46 && (next === -1 || isSpace(next)));
    if (isSeparator) {
      tags.push(tag);
      tag = [];
      i++;
      continue;
    }
    if (isDigit(code) || ((code === 45 || code === 43) && isDigit(next))) {
      const start = i;
      i++;
      for (;;) {
        const c = at(i);
        if (isDigit(c)) i++;
        else if (BINDS.has(c) && isDigit(at(i + 1))) i += 2;
        else break;
      }
      while (isLetter(at(i))) i++;
      tag.push(ungroup(text.slice(start, i)));
      continue;
    }
    if (isLetter(code)) {
      const start = i;
      i++;
      while (isLetter(at(i)) || isDigit(at(i))) i++;
      tag.push(text.slice(start, i));
      continue;
    }
    if (SYMBOLS.has(code)) tag.push(text[i]!);
    i++;
  }
  tags.push(tag);
  return tags;
}
