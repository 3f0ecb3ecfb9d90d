import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { similarityGuard } from './guard.js';
import { FormRules, shareForm } from './prompt-forms.js';
import { quotedSpans } from './quoted-text.js';
import { ENGLISH } from './word-lists.js';

const rules = new FormRules(ENGLISH);
const forms = (prompt: string) => rules.forms('image', prompt);
const canonicalSame = (a: string, b: string) =>
  shareForm(forms(a)?.canonical ?? [], forms(b)?.canonical ?? ['\u0000']);
const guard = similarityGuard();

describe('quoted text in image prompts is literal: any difference in it refuses', () => {
  it.each([
    ['a sign that says "open"', 'a sign that says "OPEN"'],
    ["a neon sign reading 'Open 24/7'", "a neon sign reading 'open 24-7'"],
    ['a t-shirt with the text “Hello, World!”', 'a t-shirt with the text “hello world”'],
    ['a mug printed with "Good morning"', 'a mug printed with "Good morning!"'],
    ['a banner saying "The End"', 'a banner saying "End"'],
    ['a poster reading "two cats"', 'a poster reading "2 cats"'],
    ['a book cover titled "Grey Sky"', 'a book cover titled "Gray Sky"'],
    ['a sign reading "NO  PARKING"', 'a sign reading "NO PARKING"'],
    ['a sign "A, B"', 'a sign "B, A"'],
    ['a label saying ‘Don’t Panic’', 'a label saying ‘dont panic’'],
    ['a logo with the text "4k"', 'a logo'],
    ['ein Schild mit „Hallo“', 'ein Schild mit „hallo“'],
  ])('%s ≠ %s (guard refuses, canonical differs)', (a, b) => {
    expect(canonicalSame(a, b)).toBe(false);
    expect(guard.check('image', a, b)).toEqual({ allowed: false, reason: 'content-differs' });
  });

  it.each([
    ['a sign that says "OPEN"', 'A sign that says "OPEN".'],
    ['a sign that says "OPEN"', 'a sign that says “OPEN”'],
    ['a sign that says "OPEN"', "a sign that says 'OPEN'"],
    ['a sign that says " OPEN "', 'a sign that says "OPEN"'],
    ['a sign "OPEN", red background', 'red background, a sign "OPEN"'],
    ['a t-shirt with the text “Hello, World!”', 'A T-shirt with text "Hello, World!"'],
    ['a sign that says "ｏｐｅｎ"', 'a sign that says "open"'],
    ['ein Schild mit „Hallo“', 'ein Schild mit "Hallo"'],
    ['une affiche «Bonjour»', 'une affiche "Bonjour"'],
  ])('%s = %s (still a canonical hit)', (a, b) => {
    expect(canonicalSame(a, b)).toBe(true);
    expect(guard.check('image', a, b)).toMatchObject({ allowed: true, kind: 'canonical' });
  });

  it('keeps quoted text in the content form: boosters and fillers inside quotes are words', () => {
    expect(guard.check('image', 'a logo with the text "4k", 8k', 'a logo with the text "4k"')).toMatchObject({
      allowed: true,
      kind: 'similar',
    });
    expect(guard.check('image', 'a cap with the text "masterpiece"', 'a cap with the text')).toEqual({
      allowed: false,
      reason: 'content-differs',
    });
  });

  it('reads apostrophes inside words as apostrophes, not quotes', () => {
    expect(quotedSpans("a cat's toy")).toEqual([]);
    expect(quotedSpans('don’t stop, the kids’ room')).toEqual([]);
    expect(quotedSpans("the kids' room with a sign 'PLAY'")).toEqual([{ start: 27, end: 33, text: 'PLAY' }]);
    expect(canonicalSame("a cat's toy", "A Cat's toy")).toBe(true);
    expect(canonicalSame("a cat's toy", 'cats toy')).toBe(false);
  });

  it('treats an unbalanced quote as no quote: dropped, the text read by the usual rules', () => {
    expect(quotedSpans('a sign that says "OPEN')).toEqual([]);
    expect(canonicalSame('a sign that says "OPEN', 'a sign that says open')).toBe(true);
    expect(canonicalSame("a sign that says 'OPEN", 'A sign that says OPEN')).toBe(true);
    // An inch mark after a digit opens no quote.
    expect(quotedSpans('a 27" monitor and a 24" one')).toEqual([]);
    expect(canonicalSame('a 27" monitor', 'a 27 monitor')).toBe(true);
    // Empty quotes hold no literal.
    expect(canonicalSame('a blank sign ""', 'a blank sign')).toBe(true);
  });

  it('reads a prompt wholly inside one pair of quotes as the prompt, not as text to render', () => {
    expect(canonicalSame('“a glass of iced coffee”', 'A glass of iced coffee')).toBe(true);
    expect(canonicalSame('"a sign saying \'OPEN\'"', 'a sign saying "OPEN"')).toBe(true);
    expect(canonicalSame('"a sign saying \'OPEN\'"', 'a sign saying "open"')).toBe(false);
  });

  it('never merges two different quoted texts (property)', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !/["“”„‟«»]/.test(s.normalize('NFKC')));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const same = a.normalize('NFKC').trim() === b.normalize('NFKC').trim();
        const left = `a sign that says "${a}", red`;
        const right = `a sign that says "${b}", red`;
        if (forms(left) && forms(right)) expect(canonicalSame(left, right)).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads quotes the same whether the ASCII scanner or the general reader reads the rest (property)', () => {
    // A line separator at both ends is trimmed and splits nothing, but it is not ASCII: the
    // prompt's outer segments go to the general reader instead of the scanner.
    const alphabet = fc.constantFrom(...'aXk9 0 1,.;|:/x-$\'"‘’“”'.split(''), 'a', 'b', ' ', '"', "'");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }), (chars) => {
        const prompt = chars.join('');
        expect(forms(`\u2028${prompt}\u2028`)).toEqual(forms(prompt));
      }),
      { numRuns: 3000 },
    );
  });
});
