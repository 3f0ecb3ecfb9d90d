// Real components in a temporary folder: memory L1 + SQLite index + disk L2, as the reference app runs them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskTier } from '@tiercache/disk';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';
import { afterEach, beforeEach } from 'vitest';
import { createMediaCache } from '../media-cache.js';
import type {
  GeneratedMedia,
  ImageRequest,
  MediaCache,
  MediaCacheOptions,
  TtsRequest,
} from '../media-types.js';
import { encodePng } from './png.js';
import { encodeWav } from './wav.js';

export interface MediaStack {
  /** The temporary folder of this test. */
  dir: string;
  cacheDir: string;
  outputDir: string;
  /** Opens a media cache on the folder; closed after the test. */
  open(options?: Partial<MediaCacheOptions>): MediaCache;
  /** Generators that count their calls. */
  calls: { tts: number; image: number };
  tts: (request: TtsRequest) => Promise<GeneratedMedia>;
  image: (request: ImageRequest) => Promise<GeneratedMedia>;
}

export function useMediaStack(): MediaStack {
  const opened: MediaCache[] = [];
  const stack = { calls: { tts: 0, image: 0 } } as MediaStack;
  beforeEach(async () => {
    stack.dir = await mkdtemp(join(tmpdir(), 'tiercache-media-'));
    stack.cacheDir = join(stack.dir, 'cache');
    stack.outputDir = join(stack.dir, 'out');
    stack.calls.tts = 0;
    stack.calls.image = 0;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((media) => media.close()));
    await rm(stack.dir, { recursive: true, force: true });
  });
  stack.open = (options = {}) => {
    const media = createMediaCache({
      outputDir: stack.outputDir,
      storage: () => ({
        index: openSqliteIndex({ file: join(stack.cacheDir, 'cache.db') }),
        tiers: [createMemoryTier({ maxBytes: 4 * 1024 * 1024 }), createDiskTier({ dir: stack.cacheDir })],
      }),
      ...options,
    });
    opened.push(media);
    return media;
  };
  stack.tts = async (request) => {
    stack.calls.tts++;
    return { bytes: encodeWav(request.text), mediaType: 'audio/wav', extension: 'wav' };
  };
  stack.image = async (request) => {
    stack.calls.image++;
    return {
      bytes: encodePng(request.prompt, request.width ?? 8, request.height ?? 8),
      mediaType: 'image/png',
      extension: 'png',
    };
  };
  return stack;
}
