import { describe, expect, it } from 'vitest';
import { FormRules, shareForm } from './prompt-forms.js';
import { ENGLISH } from './word-lists.js';

const rules = new FormRules(ENGLISH);
const forms = (prompt: string) => rules.forms('image', prompt);
const canonicalSame = (a: string, b: string) =>
  shareForm(forms(a)?.canonical ?? [], forms(b)?.canonical ?? ['\u0000']);
const contentSame = (a: string, b: string) =>
  shareForm(forms(a)?.content ?? [], forms(b)?.content ?? ['\u0000']);

describe('image canonical form: never merges prompts that draw something else', () => {
  it.each([
    ['2+2=4 on a chalkboard', '2-2=4 on a chalkboard'],
    ['a poster, 16:9', 'a poster, 9:16'],
    ['a price tag reading $5.99', 'a price tag reading $99.5'],
    ['a cat chasing a mouse', 'a mouse chasing a cat'],
    ['a red car parked by the sea', 'a yellow car parked by the sea'],
    ['ten hikers on a ridge', 'two hikers on a ridge'],
    ['a beach, no people', 'a beach, people'],
    ['a dog', 'dogs'],
    ["a cat's toy", 'cats toy'],
    ['a cat 🐱 sticker', 'a cat 🐶 sticker'],
    ['red car, blue bike', 'blue car, red bike'],
    ['1,000 birds', '1 000 birds'],
    ['a room with 3 windows', 'a room with 3.5 windows'],
    ['zero zero', 'zero'],
    ['a cat, highly detailed', 'a cat'],
  ])('%s ≠ %s', (a, b) => {
    expect(canonicalSame(a, b)).toBe(false);
  });

  it.each([
    ['A Red Car, parked', 'a red car,  parked.'],
    ['red car, parked', 'parked, red car'],
    ['red car, parked, red car', 'red car, parked'],
    ['two cats on a sofa', '2 cats on a sofa'],
    ['twenty-one balloons', '21 balloons'],
    ['a hundred lanterns', '100 lanterns'],
    ['a grey aeroplane', 'gray airplane'],
    ['a calm lake at dawn golden light', 'a calm lake at dawn, golden light'],
    ['1,000 birds', '1000 birds'],
  ])('%s = %s', (a, b) => {
    expect(canonicalSame(a, b)).toBe(true);
  });

  it('drops fillers and boosters from the content form only', () => {
    expect(contentSame('an image of a lighthouse, 4k, highly detailed', 'lighthouse, masterpiece')).toBe(
      true,
    );
    expect(canonicalSame('an image of a lighthouse, 4k', 'lighthouse')).toBe(false);
    expect(contentSame('a lighthouse at night, 8k', 'a lighthouse at dawn, 8k')).toBe(false);
    expect(forms('masterpiece, 8k, best quality')?.content).toEqual([]);
    expect(forms('!!! ...')).toBeUndefined();
  });
});
