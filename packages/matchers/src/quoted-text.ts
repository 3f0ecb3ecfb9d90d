// Text an image model is asked to render is quoted: `a sign that says "OPEN"`. Its case,
// punctuation and spacing are the picture, so it is read literally, never folded like the
// words around it. An apostrophe inside or after a word ("cat's", "don't", "kids'") is no
// quote; a quote without its closer is no quote either (the readers drop it as before).

/** One quoted text: the quote marks at `start` and `end - 1`, `text` the literal between them. */
export interface QuotedSpan {
  start: number;
  end: number;
  /** What the quotes hold, outer whitespace trimmed; empty quotes hold "". */
  text: string;
}

const DOUBLE_OPENERS = '"“„‟«';
const DOUBLE_CLOSERS = '"”“‟»';
const SINGLE_OPENERS = "'‘‚‛";
const SINGLE_CLOSERS = "'’‘‛";
/** Characters that may start a quote, after NFKC (which folds ＂ and ＇ into these). */
export const MAY_QUOTE = /["“„‟«'‘‚‛＂＇]/;
const WORD = /[\p{L}\p{N}\p{M}]/u;
const SPACE = /\s/u;

const isWord = (char: string | undefined) => char !== undefined && WORD.test(char);
const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

function closeDouble(text: string, from: number): number {
  for (let j = from; j < text.length; j++) if (DOUBLE_CLOSERS.includes(text[j]!)) return j;
  return -1;
}

// A single quote closes only after a non-space and before a non-word: the apostrophes of
// "don't" and "cat's" inside a quote are part of it.
function closeSingle(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    if (SINGLE_CLOSERS.includes(text[j]!) && !SPACE.test(text[j - 1]!) && !isWord(text[j + 1])) return j;
  }
  return -1;
}

/** The quoted texts of `text` (already NFKC), in order, none nested. */
export function quotedSpans(text: string): QuotedSpan[] {
  const spans: QuotedSpan[] = [];
  for (let i = 0; i < text.length; ) {
    const char = text[i]!;
    let close = -1;
    // A straight double quote after a digit is an inch mark (27" monitor).
    if (DOUBLE_OPENERS.includes(char) && !(char === '"' && isDigit(text[i - 1]))) {
      close = closeDouble(text, i + 1);
    } else if (
      SINGLE_OPENERS.includes(char) &&
      !isWord(text[i - 1]) &&
      i + 1 < text.length &&
      !SPACE.test(text[i + 1]!)
    ) {
      close = closeSingle(text, i + 1);
    }
    if (close < 0) {
      i++;
      continue;
    }
    spans.push({ start: i, end: close + 1, text: text.slice(i + 1, close).trim() });
    i = close + 1;
  }
  return spans;
}

/** A quoted text as one token: in JSON quotes, which no other token holds, so it equals only itself. */
export const literalToken = (text: string) => JSON.stringify(text);
