import { describe, expect, it } from 'vitest';
import { FormPartition } from './form-partition.js';
import { FormRules } from './prompt-forms.js';
import { prng } from './test-support/prng.js';
import { ENGLISH } from './word-lists.js';

const WORDS = ['cat', 'dog', 'red', 'blue', 'a', 'the', 'two', '2', '4k', 'hd', 'lake', 'sunset'];

describe('FormPartition', () => {
  it('finds exactly the live keys sharing a form, through inserts, deletes and table growth', () => {
    const random = prng(11);
    const rules = new FormRules(ENGLISH);
    const partition = new FormPartition(rules, 'image', true);
    const live = new Map<string, string>();
    const prompt = () =>
      Array.from(
        { length: 1 + Math.floor(random() * 4) },
        () => WORDS[Math.floor(random() * WORDS.length)],
      ).join(random() < 0.3 ? ', ' : ' ');
    const expected = (query: string, side: 'canonical' | 'content') => {
      const forms = rules.forms('image', query)![side];
      return [...live]
        .filter(([, stored]) =>
          (rules.forms('image', stored)?.[side] ?? []).some((form) => forms.includes(form)),
        )
        .map(([key]) => key)
        .sort();
    };
    for (let step = 0; step < 3000; step++) {
      if (live.size > 0 && random() < 0.35) {
        const keys = [...live.keys()];
        const key = keys[Math.floor(random() * keys.length)]!;
        expect(partition.delete(key)).toBe(true);
        live.delete(key);
      } else {
        const key = `k${step}`;
        const text = prompt();
        partition.insert(key, text);
        live.set(key, text);
      }
      if (step % 50 === 0) {
        const query = prompt();
        const forms = rules.forms('image', query);
        if (!forms) continue;
        expect(partition.canonical(forms.canonical)).toEqual(expected(query, 'canonical'));
        if (forms.content.length > 0)
          expect(partition.content(forms.content)).toEqual(expected(query, 'content'));
      }
    }
    expect(partition.size).toBe(live.size);
    expect(partition.delete('absent')).toBe(false);
  });
});
