import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiTags, generalTags } from './image-tokens.js';

const nonEmpty = (tags: string[][]) => tags.filter((tag) => tag.length > 0);

describe('image prompt readers', () => {
  it('the ASCII scanner reads every printable ASCII prompt exactly as the general reader', () => {
    // Letters, digits and every sign the readers treat specially, so edge cases come up often.
    const alphabet = fc.constantFrom(
      ..."aXk9 0 1,.;|:/x*+-=^$<>~&%#@!?()[]_'\\ {}".split(''),
      'x',
      '1',
      ' ',
      ',',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chars) => {
        const prompt = chars.join('');
        expect(nonEmpty(asciiTags(prompt) ?? [])).toEqual(nonEmpty(generalTags(prompt)));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves other text to the general reader', () => {
    expect(asciiTags('a "quoted" cat')).toBeUndefined();
    expect(asciiTags('a cat 🐱')).toBeUndefined();
    expect(asciiTags('line one\nline two')).toBeUndefined();
    expect(asciiTags('Two cats, 16:9; 1,000 birds. 2+2=4, -5, 4K')).toEqual([
      ['two', 'cats'],
      ['16:9'],
      ['1000', 'birds'],
      ['2+2=4'],
      ['-5'],
      ['4k'],
    ]);
  });
});
