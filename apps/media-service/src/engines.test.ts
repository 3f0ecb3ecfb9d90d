import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TtsEngine } from './engines/engine-types.js';
import { createSystemEspeakEngine, detectSystemEspeak } from './engines/espeak.js';
import { createLocalRenderer, renderPng } from './engines/local-renderer.js';
import { createText2wavEngine } from './engines/text2wav.js';
import { buildTogetherBody, createTogetherEngine } from './engines/together.js';
import { finalizeWav } from './engines/wav.js';
import { serviceIn } from './test-support/service.js';
import { isPng, isRiffWave, useTempDir } from './test-support/temp-dir.js';

const systemVersion = await detectSystemEspeak();
// text2wav always runs; the system binary too where it is installed (`npm test` installs it).
const backends: [string, () => Promise<TtsEngine>][] = [
  ['text2wav', async () => createText2wavEngine()],
  ...(systemVersion
    ? [['system', () => createSystemEspeakEngine()] as [string, () => Promise<TtsEngine>]]
    : []),
];

function wavSizes(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { riff: view.getUint32(4, true), data: view.getUint32(40, true) };
}

describe.each(backends)('eSpeak NG via %s', (_name, create) => {
  let engine: TtsEngine;
  beforeAll(async () => {
    engine = await create();
  });

  it('writes a real WAV file with consistent RIFF and data sizes', async () => {
    const { bytes, mediaType, extension, metadata } = await engine.synthesize({
      text: 'Subscribe for more!',
      voice: 'en-us',
      speed: 165,
      pitch: 50,
    });
    expect([mediaType, extension]).toEqual(['audio/wav', 'wav']);
    expect(isRiffWave(bytes)).toBe(true);
    expect(wavSizes(bytes)).toEqual({ riff: bytes.length - 8, data: bytes.length - 44 });
    expect(bytes.length).toBeGreaterThan(10_000);
    expect(metadata.backend).toBe(engine.backend);
    expect(engine.backend).toMatch(/^(espeak-ng|text2wav)@\d/);
  });

  it('speaks a line that starts with a dash instead of reading it as an option', async () => {
    const { bytes } = await engine.synthesize({
      text: '-5 degrees tonight',
      voice: 'en',
      speed: 175,
      pitch: 50,
    });
    expect(bytes.length).toBeGreaterThan(20_000);
  });

  it('rejects an unknown voice with a typed error, and the process lives on', async () => {
    await expect(
      engine.synthesize({ text: 'hi', voice: 'xx-nope', speed: 165, pitch: 50 }),
    ).rejects.toMatchObject({
      code: 'E_ENGINE',
      message: expect.stringMatching(/voice "xx-nope".*does not exist/),
    });
  });
});

describe('TTS backends in the cache key', () => {
  const dir = useTempDir('media-service-backends-');

  it('the backend is key material: text2wav audio never answers a request made with another backend', async () => {
    const wasm = await serviceIn(dir.path, { TIERCACHE_TTS_BACKEND: 'text2wav' });
    const first = await wasm.generateTts('Welcome back.');
    expect(JSON.parse(first.entry?.params ?? '{}').backend).toMatch(/^text2wav@/);
    expect((await wasm.generateTts('Welcome back.')).source).toBe('exact');
    await wasm.close();
    const other = await serviceIn(dir.path, { TIERCACHE_TTS_BACKEND: systemVersion ? 'system' : 'text2wav' });
    const again = await other.generateTts('Welcome back.');
    expect(again.source).toBe(systemVersion ? 'generated' : 'exact');
    expect(isRiffWave(await readFile(again.path))).toBe(true);
    await other.close();
  });
});

describe('WAV header', () => {
  it('replaces the placeholder sizes espeak-ng writes to a pipe', () => {
    const bytes = new Uint8Array(44 + 100);
    bytes.set(Buffer.from('RIFF\x24\xf0\xff\x7fWAVEfmt ', 'latin1'), 0);
    new DataView(bytes.buffer).setUint32(16, 16, true);
    bytes.set(Buffer.from('data\x00\xf0\xff\x7f', 'latin1'), 36);
    expect(wavSizes(finalizeWav(bytes, 'test'))).toEqual({ riff: 136, data: 100 });
    expect(() => finalizeWav(new Uint8Array(10), 'test')).toThrow(/did not produce a WAV file/);
  });
});

describe('local renderer', () => {
  it('draws the same PNG for the same request and another one for another prompt', async () => {
    const renderer = createLocalRenderer();
    const request = { prompt: 'a calm lake', model: 'local-renderer/v1', width: 64, height: 32, steps: 1 };
    const a = await renderer.render(request);
    const b = await renderer.render(request);
    const c = await renderer.render({ ...request, prompt: 'a busy street' });
    expect(isPng(a.bytes)).toBe(true);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(Buffer.from(a.bytes).equals(Buffer.from(c.bytes))).toBe(false);
    const png = renderPng({ prompt: 'x', width: 64, height: 32 });
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([64, 32]);
  });
});

describe('Together.ai client, against a local HTTP server', () => {
  const seen: { url: string; auth: string | undefined; body: Record<string, unknown> }[] = [];
  let reply: (body: Record<string, unknown>) => { status: number; json: unknown } = () => ({
    status: 500,
    json: {},
  });
  let server: Server;
  let baseUrl = '';
  const png = renderPng({ prompt: 'served by the fake API', width: 16, height: 16 });

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      req.on('end', () => resolve(text));
    });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      seen.push({ url: `${req.method} ${req.url}`, auth: req.headers.authorization, body });
      const { status, json } = reply(body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the documented body with the bearer key and decodes b64_json', async () => {
    reply = () => ({
      status: 200,
      json: { id: 'req-1', data: [{ index: 0, b64_json: png.toString('base64') }] },
    });
    const engine = createTogetherEngine({ apiKey: 'test-key', baseUrl: `${baseUrl}/` });
    const request = {
      prompt: 'a calm lake',
      negativePrompt: 'text',
      model: 'black-forest-labs/FLUX.1-schnell',
      width: 512,
      height: 256,
      steps: 4,
      seed: 7,
    };
    const image = await engine.render(request);
    expect(seen.at(-1)).toEqual({
      url: 'POST /v1/images/generations',
      auth: 'Bearer test-key',
      body: buildTogetherBody(request),
    });
    expect(seen.at(-1)?.body).toEqual({
      model: 'black-forest-labs/FLUX.1-schnell',
      prompt: 'a calm lake',
      negative_prompt: 'text',
      width: 512,
      height: 256,
      steps: 4,
      seed: 7,
      n: 1,
      response_format: 'b64_json',
    });
    expect(Buffer.from(image.bytes).equals(png)).toBe(true);
    expect([image.mediaType, image.extension]).toEqual(['image/png', 'png']);
    expect(image.metadata).toMatchObject({ engine: 'together', requestId: 'req-1' });
  });

  it('turns API errors and unusable answers into E_ENGINE errors without the key', async () => {
    const engine = createTogetherEngine({ apiKey: 'secret-key', baseUrl });
    const request = { prompt: 'x', model: 'm', width: 64, height: 64, steps: 1 };
    reply = () => ({
      status: 401,
      json: { error: { message: 'Invalid API key provided', type: 'invalid_request_error' } },
    });
    const error = await engine.render(request).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({
      code: 'E_ENGINE',
      message: 'media-service: Together.ai answered HTTP 401: Invalid API key provided',
    });
    expect(JSON.stringify(error)).not.toContain('secret-key');
    reply = () => ({ status: 200, json: { data: [] } });
    await expect(engine.render(request)).rejects.toThrow(/without data\[0\]\.b64_json/);
    reply = () => ({
      status: 200,
      json: { data: [{ b64_json: Buffer.from('not an image').toString('base64') }] },
    });
    await expect(engine.render(request)).rejects.toThrow(/not a PNG, JPEG or WebP/);
  });

  it('through MediaService: the first call reaches the API, the repeat is served from the cache', async () => {
    reply = () => ({ status: 200, json: { data: [{ b64_json: png.toString('base64') }] } });
    const dir = await mkdtemp(join(tmpdir(), 'media-service-together-'));
    const service = await serviceIn(dir, {
      TOGETHER_API_KEY: 'test-key',
      TIERCACHE_TOGETHER_BASE_URL: baseUrl,
      TIERCACHE_TOGETHER_MODEL: 'black-forest-labs/FLUX.1-schnell',
    });
    const before = seen.length;
    const first = await service.generateImage('a runner on a mountain trail', { width: 512, height: 512 });
    const second = await service.generateImage('a runner on a mountain trail', { width: 512, height: 512 });
    expect([first.source, second.source]).toEqual(['generated', 'exact']);
    expect(seen.length - before).toBe(1);
    expect(seen.at(-1)?.body).toMatchObject({ steps: 4, width: 512, height: 512 });
    const stats = await service.stats();
    // FLUX.1-schnell list price: 0.0027 USD per megapixel.
    expect(stats.saved.byType.image?.generationCost).toBeCloseTo(0.0027 * 0.262144, 6);
    await service.close();
    await rm(dir, { recursive: true, force: true });
  });
});
