import {
  createMemoryIndex,
  createTieredCache,
  deriveKey,
  type Entry,
  type RequestKey,
} from '@tiercache/core';
import { contractGroup, registerGroups } from './behaviour-groups.js';
import { sampleBytes, sampleEntry } from './fixtures.js';
import {
  MATCHER_GROUPS,
  type MatcherGroup,
  type MatcherSubject,
  type MatcherSuiteOptions,
} from './matcher-suite-options.js';
import { scratchTier } from './scratch-tier.js';
import { checkSuiteOptions } from './suite-options.js';

const matchKinds = ['exact', 'canonical', 'similar'];
const promptFields = ['type', 'stored', 'requested', 'unrelated'] as const;

const params = { suite: 'matcher' };

/**
 * The behaviour every `Matcher` must have, in named groups. Call it in a test file with your
 * runner: `matcherSuite({ test: { describe, it, expect, beforeEach, afterEach }, name: 'jaccard',
 * create: () => jaccardMatcher(), kinds: ['similar'], prompts: { type, stored, requested, unrelated } })`.
 */
export function matcherSuite(options: MatcherSuiteOptions): void {
  const { errors } = checkSuiteOptions<MatcherSuiteOptions>(
    options,
    ['test', 'name', 'create', 'createIndex', 'destroy', 'kinds', 'prompts', 'off'],
    ['createIndex', 'destroy'],
    MATCHER_GROUPS,
  );
  const { kinds, prompts } = options;
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((kind) => matchKinds.includes(kind)))
    throw errors.invalidOption('kinds', kinds, `a non-empty list of ${matchKinds.join(', ')}`);
  for (const field of promptFields)
    if (typeof prompts?.[field] !== 'string' || prompts[field].trim() === '')
      throw errors.invalidOption(`prompts.${field}`, prompts?.[field], 'a non-empty string');
  registerGroups<MatcherSubject>(
    {
      test: options.test,
      title: `Matcher conformance: ${options.name}`,
      create: async () => ({
        matcher: await options.create(),
        index: await (options.createIndex ?? createMemoryIndex)(),
      }),
      destroy: async (subject) => {
        if (options.destroy) await options.destroy(subject);
        else subject.index.close?.();
      },
      off: options.off,
    },
    [contractGroup<MatcherSubject>(({ matcher }) => matcher), ...matcherGroups(options)],
  );
}

/** The request for `prompt`, in the suite's params partition unless others are given. */
function request(type: string, prompt: string, requestParams: Record<string, string> = params): RequestKey {
  return deriveKey({ type, prompt, params: requestParams });
}

/** An entry stored for `prompt` exactly as the cache would key it; fields can be overridden. */
function storedFor(key: RequestKey, overrides: Partial<Entry> = {}): Entry {
  return sampleEntry(sampleBytes(64, key.prompt.length), {
    type: key.type,
    key: key.key,
    paramsHash: key.paramsHash,
    prompt: key.prompt,
    params: key.canonicalParams,
    ...overrides,
  });
}

function matcherGroups(options: MatcherSuiteOptions): MatcherGroup[] {
  const { type, stored, requested, unrelated } = options.prompts;
  const otherType = type === 'image' ? 'tts' : 'image';
  const find = ({ matcher, index }: MatcherSubject, prompt: string) =>
    Promise.resolve(matcher.find(request(type, prompt), index));
  return [
    {
      name: 'finds',
      title: 'answers',
      checks: [
        {
          title: 'answers the request with the stored entry, a declared kind and a score in range',
          async run(subject, expect) {
            const entry = subject.index.insert(storedFor(request(type, stored)));
            const match = await find(subject, requested);
            expect(match?.entry.key, 'no answer for the matching prompt').toBe(entry.key);
            expect(options.kinds.includes(match!.kind), `undeclared kind ${match?.kind}`).toBe(true);
            expect(match!.score).toBeGreaterThanOrEqual(0);
            expect(match!.score).toBeLessThanOrEqual(1);
            if (match!.kind !== 'similar') expect(match!.score).toBe(1);
          },
        },
        {
          title: 'explains a hit that is not exact: matcher, policy, both prompts and every difference',
          async run(subject, expect) {
            const entry = subject.index.insert(storedFor(request(type, stored)));
            const match = await find(subject, requested);
            expect(match?.entry.key).toBe(entry.key);
            if (match!.kind === 'exact') return;
            const explanation = match!.explanation;
            expect(explanation, `a ${match!.kind} hit without explanation`).not.toBeUndefined();
            expect(typeof explanation!.matcher).toBe('string');
            expect(typeof explanation!.policy).toBe('string');
            expect(explanation!.matchedPrompt).toBe(entry.prompt);
            expect(typeof explanation!.requestedPrompt).toBe('string');
            expect(Array.isArray(explanation!.differences)).toBe(true);
          },
        },
        {
          title: 'answers nothing for an unrelated prompt',
          async run(subject, expect) {
            subject.index.insert(storedFor(request(type, stored)));
            expect(await find(subject, unrelated)).toBeUndefined();
          },
        },
      ],
    },
    {
      name: 'isolation',
      title: 'types and partitions',
      checks: [
        {
          title: 'never answers with an entry of another type, even one filed under the same key',
          async run(subject, expect) {
            const wanted = request(type, requested);
            subject.index.insert(storedFor(request(otherType, stored)));
            subject.index.insert(storedFor(request(otherType, requested), { key: wanted.key }));
            expect(await find(subject, requested)).toBeUndefined();
            expect(await find(subject, stored)).toBeUndefined();
          },
        },
        {
          title: 'never answers with an entry of another params partition',
          async run(subject, expect) {
            subject.index.insert(storedFor(request(type, stored, { suite: 'another partition' })));
            subject.index.insert(storedFor(request(type, requested, { suite: 'another partition' })));
            expect(await find(subject, requested)).toBeUndefined();
            expect(await find(subject, stored)).toBeUndefined();
          },
        },
      ],
    },
    {
      name: 'rejections',
      title: 'rejected answers',
      checks: [
        {
          title: 'an answer the user rejected is never served again through the cache',
          async run({ matcher, index }, expect) {
            const cache = createTieredCache({ tiers: [scratchTier()], index, matchers: [matcher] });
            const info = { mediaType: 'application/octet-stream', extension: 'bin' };
            await cache.put({ type, prompt: stored, params }, sampleBytes(100, 51), info);
            const hit = await cache.get({ type, prompt: requested, params });
            expect(hit?.entry.prompt, 'no answer for the matching prompt').toBe(request(type, stored).prompt);
            await cache.reject({ type, prompt: requested, params }, hit!.entry);
            const again = await cache.get({ type, prompt: requested, params });
            expect(again?.entry.key).not.toBe(hit!.entry.key);
          },
        },
      ],
    },
    {
      name: 'index-changes',
      title: 'index changes',
      checks: [
        {
          title: 'follows inserts, deletes and clears made after it was created',
          async run(subject, expect) {
            const { index } = subject;
            const entry = storedFor(request(type, stored));
            expect(await find(subject, requested)).toBeUndefined();
            index.insert(entry);
            expect((await find(subject, requested))?.entry.key).toBe(entry.key);
            index.delete(type, entry.key);
            expect(await find(subject, requested)).toBeUndefined();
            index.insert(entry);
            expect((await find(subject, requested))?.entry.key).toBe(entry.key);
            index.clear(otherType);
            expect((await find(subject, requested))?.entry.key).toBe(entry.key);
            index.clear(type);
            expect(await find(subject, requested)).toBeUndefined();
            index.insert(entry);
            index.clear();
            expect(await find(subject, requested)).toBeUndefined();
          },
        },
      ],
    },
  ];
}
