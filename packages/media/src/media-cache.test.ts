import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Matcher } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import type { TtsRequest } from './media-types.js';
import { useMediaStack } from './test-support/media-stack.js';
import { PNG_SIGNATURE } from './test-support/png.js';

const narration: TtsRequest = { text: 'Subscribe for more!', engine: 'espeak-ng', voice: 'en-us' };
const flux = 'black-forest-labs/FLUX.1-schnell';

describe('media cache: delivery and matching', () => {
  const stack = useMediaStack();

  it('an exact hit gives a new file id and a new file with the same bytes, without generating', async () => {
    const media = stack.open();
    const first = await media.tts(narration, stack.tts);
    const second = await media.tts({ ...narration, text: '  Subscribe   for more! ' }, stack.tts);
    expect(first).toMatchObject({ source: 'generated', cached: true });
    expect(second).toMatchObject({ source: 'exact', cached: true });
    expect(second.score).toBeUndefined();
    expect(stack.calls.tts).toBe(1);
    expect(second.fileId).not.toBe(first.fileId);
    expect(second.path).toBe(join(stack.outputDir, `${second.fileId}.wav`));
    const [a, b] = await Promise.all([readFile(first.path), readFile(second.path)]);
    expect(b.equals(a)).toBe(true);
    expect(b.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(second.entry?.useCount).toBe(2);
  });

  it("the caller's file is its own: editing or deleting it leaves the cache intact", async () => {
    const media = stack.open();
    const original = await readFile((await media.tts(narration, stack.tts)).path);
    const hit = await media.tts(narration, stack.tts);
    await writeFile(hit.path, 'edited by the caller');
    const again = await media.tts(narration, stack.tts);
    await rm(again.path);
    const reopened = stack.open();
    const fromDisk = await reopened.tts(narration, stack.tts);
    expect(fromDisk.source).toBe('exact');
    expect((await readFile(fromDisk.path)).equals(original)).toBe(true);
    expect(await readFile(hit.path, 'utf8')).toBe('edited by the caller');
    expect(stack.calls.tts).toBe(1);
  });

  it('delivers to destPath when given, creating its folder', async () => {
    const media = stack.open();
    await media.image({ prompt: 'a red fox in snow' }, stack.image);
    const destPath = join(stack.dir, 'videos', 'v1', 'scene-1.png');
    const hit = await media.image({ prompt: 'a red fox in snow' }, stack.image, { destPath });
    expect(hit).toMatchObject({ source: 'exact', path: destPath });
    expect((await readFile(destPath)).subarray(0, 8)).toEqual(Buffer.from(PNG_SIGNATURE));
  });

  it('images are guarded by default: canonical and similar hits with their explanation, never another picture', async () => {
    const media = stack.open();
    await media.image({ prompt: 'a calm lake at sunrise, 4k', model: flux }, stack.image);
    const same = await media.image({ prompt: 'A calm lake, at sunrise (4K)', model: flux }, stack.image);
    expect(same).toMatchObject({
      source: 'canonical',
      score: 1,
      matchedPrompt: 'a calm lake at sunrise, 4k',
    });
    expect(same.explanation).toMatchObject({
      policy: 'guarded',
      matchedPrompt: 'a calm lake at sunrise, 4k',
    });
    const similar = await media.image(
      { prompt: 'calm lake at sunrise, highly detailed', model: flux },
      stack.image,
    );
    expect(similar).toMatchObject({ source: 'similar', matchedPrompt: 'a calm lake at sunrise, 4k' });
    expect(similar.score).toBeLessThan(1);
    expect(similar.explanation?.differences.map((difference) => difference.rule)).toContain('booster');
    for (const prompt of ['a calm lake at sunset, 4k', 'a calm lake at sunrise, no clouds, 4k']) {
      expect((await media.image({ prompt, model: flux }, stack.image)).source).toBe('generated');
    }
    // Another model is another partition, however close the prompt.
    const otherModel = { prompt: 'A calm lake, at sunrise (4K)', model: 'black-forest-labs/FLUX.1-dev' };
    expect((await media.image(otherModel, stack.image)).source).toBe('generated');
    expect(stack.calls.image).toBe(4);
    expect((await media.cache?.stats())?.session).toMatchObject({ canonicalHits: 1, similarHits: 1 });
  });

  it('TTS gets canonical hits by default, and similar ones only with an opt-in policy', async () => {
    const byDefault = stack.open();
    await byDefault.tts({ ...narration, text: 'Take 2 tablets every 4 hours.' }, stack.tts);
    const spelled = await byDefault.tts(
      { ...narration, text: 'take two tablets every four hours' },
      stack.tts,
    );
    expect(spelled).toMatchObject({ source: 'canonical', score: 1 });
    for (const text of ['Take 4 tablets every 2 hours.', 'Take 2 tablets every 4 hours?']) {
      expect((await byDefault.tts({ ...narration, text }, stack.tts)).source).toBe('generated');
    }
    await byDefault.close();
    // The original Jaccard rule, opted into with a threshold of its own.
    const optedIn = stack.open({ policies: { tts: { policy: 'jaccard', threshold: 0.9 } } });
    await optedIn.tts(narration, stack.tts);
    const hit = await optedIn.tts({ ...narration, text: 'Subscribe, for more.' }, stack.tts);
    expect(hit).toMatchObject({ source: 'similar', score: 1, explanation: { policy: 'jaccard' } });
    expect(hit.matchedPrompt).toBe('Subscribe for more!');
    expect(stack.calls.tts).toBe(4);
  });

  it('accepts any matcher as a policy, answering its own type only', async () => {
    const seen: string[] = [];
    const media = stack.open({
      policies: {
        image: {
          name: 'spy',
          find: (request) => {
            seen.push(request.type);
            return undefined;
          },
        },
      },
    });
    await media.image({ prompt: 'a red fox in snow' }, stack.image);
    await media.tts(narration, stack.tts);
    expect(seen).toEqual(['image']);
  });

  it('a different voice config is a separate entry, never even a similar hit', async () => {
    const media = stack.open({ policies: { tts: { policy: 'jaccard', threshold: 0.5 } } });
    const bella = { ...narration, voice: { name: 'bella', pitch: 1 } };
    await media.tts(bella, stack.tts);
    expect((await media.tts({ ...narration, voice: { name: 'bella', pitch: 2 } }, stack.tts)).source).toBe(
      'generated',
    );
    expect((await media.tts({ ...narration, engine: 'piper', voice: bella.voice }, stack.tts)).source).toBe(
      'generated',
    );
    // Key order inside the voice config does not matter.
    expect((await media.tts({ ...narration, voice: { pitch: 1, name: 'bella' } }, stack.tts)).source).toBe(
      'exact',
    );
    expect((await media.stats()).index.byType.tts?.entries).toBe(3);
  });

  it('an undefined setting is the same as an absent one', async () => {
    const media = stack.open();
    await media.image({ prompt: 'a lighthouse at night', width: 8 }, stack.image);
    const again = await media.image(
      { prompt: 'a lighthouse at night', width: 8, seed: undefined },
      stack.image,
    );
    expect(again.source).toBe('exact');
  });

  it('clears one type, then everything, through the underlying cache', async () => {
    const media = stack.open();
    await media.tts(narration, stack.tts);
    await media.image({ prompt: 'a red fox in snow' }, stack.image);
    expect(await media.cache?.clear('tts')).toBe(1);
    expect(await readdir(join(stack.cacheDir, 'tts'))).toEqual([]);
    expect((await media.image({ prompt: 'a red fox in snow' }, stack.image)).source).toBe('exact');
    expect((await media.tts(narration, stack.tts)).source).toBe('generated');
    expect(await media.cache?.clear()).toBe(2);
    expect((await media.stats()).index.entries).toBe(0);
    expect(await readdir(join(stack.cacheDir, 'image'))).toEqual([]);
  });
});

describe('media cache: a matcher of your own', () => {
  const stack = useMediaStack();

  it('a matcher as a policy answers after the exact matcher, and its explanation reaches the result', async () => {
    const asked: string[] = [];
    const everyOtherPrompt: Matcher = {
      name: 'test-canonical',
      find(request, index) {
        asked.push(request.prompt);
        const other = index.partition(request.type, request.paramsHash).find((p) => p.key !== request.key);
        const entry = other && index.get(request.type, other.key);
        if (!entry) return undefined;
        return {
          entry,
          kind: 'canonical',
          score: 1,
          explanation: {
            matcher: 'test-canonical',
            policy: 'test',
            requestedPrompt: request.prompt,
            matchedPrompt: entry.prompt,
            differences: [{ requested: 'the', stored: 'a', rule: 'article' }],
          },
        };
      },
    };
    // Stands in for any matcher (embeddings, a guarded matcher with word lists of your own):
    // every other image prompt is "canonical", with one difference explained.
    const media = stack.open({ policies: { image: everyOtherPrompt } });
    await media.image({ prompt: 'a red fox in snow' }, stack.image);
    const hit = await media.image({ prompt: 'the red fox in snow' }, stack.image);
    expect(hit).toMatchObject({ source: 'canonical', score: 1, matchedPrompt: 'a red fox in snow' });
    expect(hit.explanation).toEqual({
      matcher: 'test-canonical',
      policy: 'test',
      requestedPrompt: 'the red fox in snow',
      matchedPrompt: 'a red fox in snow',
      differences: [{ requested: 'the', stored: 'a', rule: 'article' }],
    });
    expect(stack.calls.image).toBe(1);
    expect(asked).toContain('the red fox in snow');
    expect((await media.stats()).session).toMatchObject({ hits: 1, canonicalHits: 1 });
  });

  it('one matcher given for both types is consulted once per request', async () => {
    const asked: string[] = [];
    const spy: Matcher = { name: 'spy', find: (request) => void asked.push(request.type) };
    const media = stack.open({ policies: { tts: spy, image: spy } });
    await media.image({ prompt: 'a red fox in snow' }, stack.image);
    await media.tts(narration, stack.tts);
    expect(asked).toEqual(['image', 'tts']);
  });
});
