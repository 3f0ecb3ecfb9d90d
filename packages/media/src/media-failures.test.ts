import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemoryIndex, isTiercacheError } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { describe, expect, it } from 'vitest';
import { createMediaCache } from './media-cache.js';
import type { GeneratedMedia, TtsRequest } from './media-types.js';
import { useMediaStack } from './test-support/media-stack.js';
import { encodeWav } from './test-support/wav.js';

const narration: TtsRequest = { text: 'Thanks for watching', engine: 'espeak-ng', voice: 'en-us' };

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('media cache: disabled, failures and concurrency', () => {
  const stack = useMediaStack();

  it('disabled: generates every time, delivers the file, and never opens storage', async () => {
    let storageOpened = false;
    const media = createMediaCache({
      enabled: false,
      outputDir: stack.outputDir,
      storage: () => {
        storageOpened = true;
        throw new Error('storage must not be opened');
      },
    });
    const first = await media.tts(narration, stack.tts);
    const second = await media.tts(narration, stack.tts);
    expect(second).toMatchObject({ source: 'generated', entry: null, cached: false });
    expect(second.fileId).not.toBe(first.fileId);
    expect((await readFile(second.path)).equals(Buffer.from(encodeWav(narration.text)))).toBe(true);
    expect(stack.calls.tts).toBe(2);
    expect(media.cache).toBeUndefined();
    expect(media.open()).toBeUndefined();
    const report = await media.warm([{ kind: 'tts', request: narration }], { tts: stack.tts });
    expect(report).toMatchObject({ total: 1, skipped: 1, generated: 0 });
    expect(await media.stats()).toMatchObject({
      enabled: false,
      session: { hits: 0, misses: 0, canonicalHits: 0, similarHits: 0 },
      index: { entries: 0, byType: {} },
      hitRate: 0,
      saved: { generations: 0, generationMs: 0, generationCost: 0 },
    });
    await media.close();
    expect(storageOpened).toBe(false);
    expect(await readdir(stack.dir)).toEqual(['out']);
    expect((await listTree(stack.dir)).sort()).toEqual(
      [`${first.fileId}.wav`, `${second.fileId}.wav`].sort(),
    );
  });

  it('a generator error reaches the caller unchanged and nothing is cached', async () => {
    const media = stack.open();
    const quota = new Error('quota exceeded');
    await expect(media.tts(narration, async () => Promise.reject(quota))).rejects.toBe(quota);
    expect((await media.stats()).index.entries).toBe(0);
    expect((await media.tts(narration, stack.tts)).source).toBe('generated');
    expect(await readdir(stack.outputDir)).toHaveLength(1);
  });

  it('empty or malformed output is refused, never cached, in both modes', async () => {
    const empty = async (): Promise<GeneratedMedia> => ({
      bytes: new Uint8Array(),
      mediaType: 'audio/wav',
      extension: 'wav',
    });
    for (const media of [stack.open(), createMediaCache({ enabled: false, outputDir: stack.outputDir })]) {
      const error = await media.tts(narration, empty).catch((caught: unknown) => caught);
      expect(isTiercacheError(error, 'E_EMPTY_CONTENT')).toBe(true);
      const badExtension = async () => ({
        bytes: encodeWav('x'),
        mediaType: 'audio/wav',
        extension: '../wav',
      });
      await expect(media.tts(narration, badExtension)).rejects.toThrow(
        '@tiercache/media: the tts generator\'s extension "../wav" is invalid',
      );
      expect((await media.stats()).index.entries).toBe(0);
    }
    // Nothing was delivered either.
    expect(await readdir(stack.outputDir).catch(() => [])).toEqual([]);
  });

  it('a failing tier never fails the generation: the caller gets its file, uncached', async () => {
    const notAFolder = join(stack.dir, 'occupied');
    await writeFile(notAFolder, 'a file where the cache folder should be');
    const media = createMediaCache({
      outputDir: stack.outputDir,
      storage: () => ({ index: createMemoryIndex(), tiers: [createDiskTier({ dir: notAFolder })] }),
    });
    const errors: string[] = [];
    media.cache?.on('error', (event) => errors.push(event.error.code));
    const result = await media.tts(narration, stack.tts);
    expect(result).toMatchObject({ source: 'generated', cached: false, entry: null });
    expect((await readFile(result.path)).subarray(0, 4).toString()).toBe('RIFF');
    expect(errors).toContain('E_TIER_UNAVAILABLE');
    expect((await media.tts(narration, stack.tts)).source).toBe('generated');
    await media.close();
  });

  it('concurrent identical requests share one generation; each caller gets its own file', async () => {
    const media = stack.open();
    const slow = async (request: TtsRequest) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return stack.tts(request);
    };
    const results = await Promise.all([1, 2, 3].map(() => media.tts(narration, slow)));
    expect(stack.calls.tts).toBe(1);
    expect(new Set(results.map((result) => result.path)).size).toBe(3);
    const contents = await Promise.all(results.map((result) => readFile(result.path)));
    for (const content of contents) expect(content.equals(contents[0] as Buffer)).toBe(true);
    expect((await media.stats()).saved.byType.tts?.generations).toBe(2);
  });

  it('throws E_CLOSED after close', async () => {
    const media = stack.open();
    await media.close();
    await expect(media.tts(narration, stack.tts)).rejects.toMatchObject({ code: 'E_CLOSED' });
    expect(media.cache).toBeUndefined();
  });
});
