// Similar hits by real embeddings: the app configured with TIERCACHE_EMBEDDINGS_* asks an
// OpenAI-compatible server (here a local stand-in on 127.0.0.1, real HTTP) instead of Jaccard.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type EmbeddingsServer, startEmbeddingsServer } from '@tiercache/test-support/embeddings-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import type { MediaService } from './media-service.js';
import { serviceIn } from './test-support/service.js';
import { useTempDir } from './test-support/temp-dir.js';

const KEY = 'sk-embeddings-test-000111222333';
const dir = useTempDir('media-service-embeddings-');
let server: EmbeddingsServer;
let service: MediaService | undefined;
beforeEach(async () => {
  server = await startEmbeddingsServer({ apiKey: KEY });
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await server.close();
});

const configError = (env: Record<string, string>) => {
  try {
    loadConfig({ env });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('embeddings configured by environment', () => {
  it('near-duplicate image prompts hit through the embeddings server; speech stays canonical', async () => {
    service = await serviceIn(dir.path, {
      TIERCACHE_EMBEDDINGS_URL: server.baseURL,
      TIERCACHE_EMBEDDINGS_MODEL: 'test-embed',
      TIERCACHE_EMBEDDINGS_API_KEY: KEY,
      TIERCACHE_EMBEDDINGS_THRESHOLD: '0.8',
    });
    expect(service.config.embeddings).toEqual({
      url: server.baseURL,
      model: 'test-embed',
      apiKey: KEY,
      threshold: 0.8,
    });
    await service.generateImage('a calm lake at sunrise, cinematic, golden hour, 4k');
    const hit = await service.generateImage('calm lake at sunrise, cinematic, golden hour, 4k');
    // Every embedding hit passes the similarity guard: this one is the same request without its article.
    expect(hit).toMatchObject({
      source: 'canonical',
      matchedPrompt: 'a calm lake at sunrise, cinematic, golden hour, 4k',
    });
    expect(hit.score).toBeGreaterThanOrEqual(0.8);
    expect(server.requests.flat()).toContain('calm lake at sunrise, cinematic, golden hour, 4k');
    expect(server.authorizations.every((header) => header === `Bearer ${KEY}`)).toBe(true);

    await service.generateTts('Thanks for watching, see you in the next video');
    expect((await service.generateTts('Thanks for watching, see you in our next video')).source).toBe(
      'generated',
    );
    // Speech keeps its canonical policy: its prompts are never sent to the server.
    expect(server.requests.flat().some((text) => text.startsWith('Thanks'))).toBe(false);
  });

  it('a failing embeddings server never fails a generation: the request is generated', async () => {
    service = await serviceIn(dir.path, {
      TIERCACHE_EMBEDDINGS_URL: server.baseURL,
      TIERCACHE_EMBEDDINGS_MODEL: 'test-embed',
      TIERCACHE_EMBEDDINGS_API_KEY: 'sk-wrong-key',
    });
    await service.generateImage('a calm lake at sunrise');
    const result = await service.generateImage('calm lake at sunrise');
    expect(result.source).toBe('generated');
    expect(result.cached).toBe(true);
  });

  it('validates the settings strictly, naming the variable and never printing the key', async () => {
    expect(configError({ TIERCACHE_EMBEDDINGS_URL: 'localhost:11434/v1' })).toBe(
      'media-service: TIERCACHE_EMBEDDINGS_URL: expected an http(s) URL, got "localhost:11434/v1"',
    );
    expect(configError({ TIERCACHE_EMBEDDINGS_URL: 'http://127.0.0.1:11434/v1' })).toBe(
      'media-service: TIERCACHE_EMBEDDINGS_MODEL: required with TIERCACHE_EMBEDDINGS_URL',
    );
    expect(configError({ TIERCACHE_EMBEDDINGS_API_KEY: KEY })).toBe(
      'media-service: TIERCACHE_EMBEDDINGS_API_KEY: needs TIERCACHE_EMBEDDINGS_URL too',
    );
    expect(
      configError({
        TIERCACHE_EMBEDDINGS_URL: 'http://127.0.0.1:11434/v1',
        TIERCACHE_EMBEDDINGS_MODEL: 'nomic-embed-text',
        TIERCACHE_EMBEDDINGS_THRESHOLD: '1.2',
      }),
    ).toBe('media-service: TIERCACHE_EMBEDDINGS_THRESHOLD: expected a number in (0, 1], got 1.2');
    // Not set: the default stays local and offline (Jaccard).
    expect(loadConfig({ env: {} }).embeddings).toBeUndefined();

    const file = join(dir.path, 'media.json');
    await writeFile(file, JSON.stringify({ embeddings: { apiKey: KEY } }));
    let message = '';
    try {
      loadConfig({ file, env: {} });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /embeddings\.apiKey: unknown setting \(set TIERCACHE_EMBEDDINGS_API_KEY in the environment instead\)$/,
    );
    expect(message).not.toContain(KEY);
    await writeFile(
      file,
      JSON.stringify({
        embeddings: { url: 'http://127.0.0.1:8080/v1', model: 'bge-small', threshold: 0.92 },
      }),
    );
    expect(loadConfig({ file, env: {} }).embeddings).toEqual({
      url: 'http://127.0.0.1:8080/v1',
      model: 'bge-small',
      apiKey: undefined,
      threshold: 0.92,
    });
  });
});
