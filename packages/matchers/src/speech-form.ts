import { MAX_SPELLED_DIGITS, ordinalSuffix, spellCardinal, spellDigits, toOrdinal } from './number-words.js';
import type { FormRules, PromptForms } from './prompt-forms.js';
import type { WordLists } from './word-lists.js';

// The spoken form of a TTS text: what a speech engine says, and how it phrases it. Two texts
// with the same spoken form produce the same audio; every choice below errs on the side of
// keeping texts apart (a miss costs one generation, a wrong hit plays the wrong words).
//
// - Unicode NFKC; quotes dropped; curly apostrophes are straight ones.
// - Case is ignored, except words of 2–5 capitals ("US", "NASA"), which an engine may spell
//   out, unless the whole text is in capitals.
// - A spaced hyphen, en or em dash, `--`, `,` `;` `:` and brackets are one pause mark: a pause
//   changes the delivery, so "Let's eat, grandma" and "Let's eat grandma" stay apart.
// - Sentence marks change the intonation: `?`, `!`, `...`/`…` and `.` stay distinct, except that
//   a final `.` equals no mark (a statement ends the same way). Repeated marks count once.
// - A hyphen between letters is a space ("well-known" = "well known").
// - Numbers are the words an engine reads: `5` = five, `1,500` = one thousand five hundred,
//   `3.14` = three point one four, `21st` = twenty first, `50%` = fifty percent, `$5.99` =
//   five dollars ninety nine cents, `&` = and, `@` = at, a lone `+`/`=` = plus/equals. Kept as
//   written (so they only equal the same digits): 4-digit numbers without a separator (a
//   year, "nineteen ninety", or a quantity?), numbers with a leading zero, more than 15
//   digits, and any expression mixing digits with other signs ("2+2=4", "16:9", "5km").

const QUOTES = /["“”„‟«»‹›`´]/g;
const APOSTROPHES = /[‘’‚‛′]/g;
const PAUSE_DASHES = /\s+-+\s+|\s*(?:[–—―]|--+)\s*/g;
const ELLIPSIS = /…|\.{3,}/g;
const LEADING = /^[([{'"]+/;
const TRAILING = /[.,;:!?)\]}'"]+$/;
const NUMBER = /^([$€£])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%|st|nd|rd|th)?$/;
const ACRONYM = /^[A-Z]{2,5}$/;
const HAS_LOWERCASE = /\p{Ll}/u;
const HYPHENS = /[-‐‑]/;
const PAUSE = ',';
const MARKS = new Set([',', '.', '?', '!', '…', '?!', '!?']);

/** The mark a run of trailing punctuation stands for: a sentence mark, a pause, or none. */
function markOf(punctuation: string): string | undefined {
  const question = punctuation.includes('?');
  const exclamation = punctuation.includes('!');
  if (question && exclamation) return punctuation.indexOf('?') < punctuation.indexOf('!') ? '?!' : '!?';
  if (question) return '?';
  if (exclamation) return '!';
  if (punctuation.includes('.')) return '.';
  return /[,;:)\]}]/.test(punctuation) ? PAUSE : undefined;
}

/** The spoken words of a chunk holding a digit, or `undefined` to keep it as written. */
function spellNumber(core: string, lists: WordLists): string[] | undefined {
  const match = NUMBER.exec(core);
  if (!match) return undefined;
  const [, currency, whole = '', decimals, suffix] = match;
  const grouped = whole.includes(',');
  const digits = whole.replaceAll(',', '');
  if (digits.length > MAX_SPELLED_DIGITS || (digits.length > 1 && digits.startsWith('0'))) return undefined;
  if (currency && suffix) return undefined;
  const plain = !currency && !suffix && decimals === undefined;
  if (plain && !grouped && digits.length === 4) return undefined;
  const cardinal = spellCardinal(digits, lists);
  if (suffix === 'st' || suffix === 'nd' || suffix === 'rd' || suffix === 'th') {
    if (decimals !== undefined || ordinalSuffix(BigInt(digits)) !== suffix) return undefined;
    return toOrdinal(cardinal, lists);
  }
  if (currency) {
    const [unit, units, hundredth, hundredths] = lists.currencies[currency]!;
    if (decimals !== undefined && decimals.length === 2) {
      const out: string[] = [];
      if (digits !== '0' || decimals === '00') out.push(...cardinal, digits === '1' ? unit : units);
      if (decimals !== '00') {
        out.push(...spellCardinal(decimals.replace(/^0/, ''), lists));
        out.push(decimals === '01' ? hundredth : hundredths);
      }
      return out;
    }
    const amount =
      decimals === undefined ? cardinal : [...cardinal, lists.scales.point, ...spellDigits(decimals, lists)];
    return [...amount, digits === '1' && decimals === undefined ? unit : units];
  }
  const spoken =
    decimals === undefined ? cardinal : [...cardinal, lists.scales.point, ...spellDigits(decimals, lists)];
  return suffix === '%' ? [...spoken, lists.symbolWords['%'] ?? '%'] : spoken;
}

function spellWords(core: string, keepCapitals: boolean, lists: WordLists): string[] {
  // A prompt word is never read as an object property ("constructor").
  if (Object.hasOwn(lists.symbolWords, core)) return [lists.symbolWords[core]!];
  const parts = /^[\p{L}\p{M}'\-‐‑]+$/u.test(core) ? core.split(HYPHENS) : [core];
  const out: string[] = [];
  for (const part of parts) {
    if (part.length === 0) continue;
    out.push(keepCapitals && ACRONYM.test(part) ? part : part.toLowerCase());
  }
  return out;
}

/** Pauses and marks merged: the strongest of a run wins, none at the start, no final `.`. */
function tidy(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const last = out[out.length - 1];
    if (!MARKS.has(token)) out.push(token);
    else if (last === undefined) continue;
    else if (!MARKS.has(last)) out.push(token);
    else if (last === PAUSE) out[out.length - 1] = token;
  }
  while (out.length > 0 && (out[out.length - 1] === '.' || out[out.length - 1] === PAUSE)) out.pop();
  return out;
}

/** The spoken form of a TTS text; `undefined` when it holds no word (punctuation only). */
export function speechForms(text: string, rules: FormRules): PromptForms | undefined {
  const { lists } = rules;
  const normalized = text
    .normalize('NFKC')
    .replace(QUOTES, '')
    .replace(APOSTROPHES, "'")
    .replace(PAUSE_DASHES, ' , ')
    // A chunk of its own keeps an ellipsis apart from a full stop while chunks are peeled.
    .replace(ELLIPSIS, ' … ');
  const keepCapitals = HAS_LOWERCASE.test(normalized);
  const tokens: string[] = [];
  let words = 0;
  for (const chunk of normalized.split(/\s+/u)) {
    if (chunk.length === 0) continue;
    if (chunk === '…') {
      tokens.push('…');
      continue;
    }
    const leading = LEADING.exec(chunk)?.[0] ?? '';
    if (/[([{]/.test(leading)) tokens.push(PAUSE);
    const rest = chunk.slice(leading.length);
    const trailing = TRAILING.exec(rest)?.[0] ?? '';
    const core = rest.slice(0, rest.length - trailing.length);
    if (core.length > 0) {
      const spoken = /\p{N}/u.test(core)
        ? (spellNumber(core, lists) ?? [core.toLowerCase()])
        : spellWords(core, keepCapitals, lists);
      tokens.push(...spoken);
      words += spoken.length;
    }
    const mark = markOf(trailing);
    if (mark !== undefined) tokens.push(mark);
  }
  if (words === 0) return undefined;
  const canonical = tidy(tokens);
  const content = tidy(canonical.filter((token) => !rules.disfluencies.has(token)));
  return { canonical: [canonical.join(' ')], content: content.length === 0 ? [] : [content.join(' ')] };
}
