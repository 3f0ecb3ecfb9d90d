import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { createMediaCache } from './media-cache.js';
import type { TtsRequest } from './media-types.js';
import { useMediaStack } from './test-support/media-stack.js';

const line: TtsRequest = { text: 'Welcome back', engine: 'espeak-ng', voice: 'en-us' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isTiercacheError(error)) return `${error.code} ${error.message}`;
    throw error;
  }
  return 'resolved';
}

describe('media destinations are validated before anything is generated', () => {
  const stack = useMediaStack();

  it('refuses the live index, a blob folder, a folder and a NUL byte; the cache keeps working', async () => {
    const media = stack.open();
    await media.tts(line, stack.tts);
    const index = join(stack.cacheDir, 'cache.db');
    const indexBefore = await readFile(index);
    const bad = [index, join(stack.cacheDir, 'tts', 'mine.wav'), stack.dir, join(stack.dir, 'a\0.wav')];
    for (const destPath of bad) {
      const outcome = await codeOf(
        media.tts({ ...line, text: `other ${destPath.length}` }, stack.tts, { destPath }),
      );
      expect(outcome).toMatch(/^E_INVALID_DESTINATION @tiercache\/media: destination /);
    }
    expect(stack.calls.tts).toBe(1);
    expect((await readFile(index)).equals(indexBefore)).toBe(true);
    const again = await media.tts(line, stack.tts);
    expect(again.source).toBe('exact');
  });

  it('an output folder inside the cache folder is refused before generating', async () => {
    const media = stack.open({ outputDir: join(stack.cacheDir, 'out') });
    expect(await codeOf(media.tts(line, stack.tts))).toMatch(
      /^E_INVALID_DESTINATION .*inside the cache's own files/,
    );
    expect(stack.calls.tts).toBe(0);
  });

  it('a missing folder of destPath is created (documented), with the cache on or off', async () => {
    const on = stack.open();
    const target = join(stack.dir, 'new', 'deeper', 'line.wav');
    expect((await on.tts(line, stack.tts, { destPath: target })).path).toBe(target);
    const off = createMediaCache({ enabled: false, outputDir: stack.outputDir });
    const other = join(stack.dir, 'fresh', 'line.wav');
    expect((await off.tts(line, stack.tts, { destPath: other })).path).toBe(other);
    expect((await stat(other)).isFile()).toBe(true);
    await mkdir(join(stack.dir, 'a-folder'));
    expect(await codeOf(off.tts(line, stack.tts, { destPath: join(stack.dir, 'a-folder') }))).toMatch(
      /^E_INVALID_DESTINATION .*is a folder/,
    );
  });
});
