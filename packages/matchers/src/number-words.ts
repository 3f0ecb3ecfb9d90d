import type { WordLists } from './word-lists.js';

/** Longest digit run spelled out; longer runs (ids, phone numbers) are kept as digits. */
export const MAX_SPELLED_DIGITS = 15;

function belowThousand(value: number, lists: WordLists, out: string[]): void {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  if (hundreds > 0) out.push(lists.units[hundreds]!, lists.scales.hundred);
  if (rest >= 20) {
    out.push(lists.tens[Math.floor(rest / 10)]!);
    if (rest % 10 > 0) out.push(lists.units[rest % 10]!);
  } else if (rest > 0) {
    out.push(lists.units[rest]!);
  }
}

/**
 * The words of a whole number written in `digits` (no separators, no leading zero), as a
 * speech engine reads a quantity: "1500" → one thousand five hundred (no "and").
 */
export function spellCardinal(digits: string, lists: WordLists): string[] {
  if (/^0+$/.test(digits)) return [lists.units[0]!];
  const out: string[] = [];
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= 3)
    groups.unshift(Number(digits.slice(Math.max(0, end - 3), end)));
  groups.forEach((group, i) => {
    if (group === 0) return;
    belowThousand(group, lists, out);
    const scale = lists.scales.groups[groups.length - 1 - i];
    if (scale) out.push(scale);
  });
  return out;
}

/** The words of a digit string read one by one ("05" → zero five), as decimals are read. */
export function spellDigits(digits: string, lists: WordLists): string[] {
  return [...digits].map((digit) => lists.units[Number(digit)]!);
}

/** `words` (a cardinal) as an ordinal: its last word replaced ("twenty one" → "twenty first"). */
export function toOrdinal(words: string[], lists: WordLists): string[] | undefined {
  const last = words[words.length - 1];
  const ordinal = last === undefined ? undefined : lists.ordinals[last];
  return ordinal === undefined ? undefined : [...words.slice(0, -1), ordinal];
}

/** The English suffix of the ordinal of `value` ("st", "nd", "rd", "th"). */
export function ordinalSuffix(value: bigint): string {
  const lastTwo = Number(value % 100n);
  if (lastTwo >= 11 && lastTwo <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][lastTwo % 10] ?? 'th';
}

/**
 * Reads a run of number words from `words[start]` ("twenty one", "three hundred", "seven"):
 * its value and how many words it used, or `undefined` when `words[start]` is no number word.
 * "hundred" alone counts as 100 (articles are already gone: "a hundred").
 */
export function readNumberWords(
  words: readonly string[],
  start: number,
  lists: WordLists,
): { value: number; length: number } | undefined {
  let total = 0;
  let current = 0;
  let i = start;
  let any = false;
  for (; i < words.length; i++) {
    const word = words[i]!;
    const unit = lists.units.indexOf(word);
    const ten = word === '' ? -1 : lists.tens.indexOf(word);
    if (unit === 0) {
      // "zero" is a number on its own only: "zero zero" must not read as one 0.
      if (any) break;
      return { value: 0, length: 1 };
    }
    if (
      unit > 0 &&
      current % 10 === 0 &&
      (current % 100 === 0 || current % 100 >= 20) &&
      !(unit >= 10 && current % 100 >= 20)
    ) {
      current += unit;
    } else if (ten >= 2 && current % 100 === 0) {
      current += ten * 10;
    } else if (word === lists.scales.hundred && current % 100 !== 0 && current < 100) {
      current *= 100;
    } else if (word === lists.scales.hundred && current === 0 && !any) {
      current = 100;
    } else {
      const group = lists.scales.groups.indexOf(word);
      if (group <= 0 || (current === 0 && !any)) break;
      total += (current === 0 ? 1 : current) * 1000 ** group;
      current = 0;
    }
    any = true;
  }
  if (!any) return undefined;
  return { value: total + current, length: i - start };
}
