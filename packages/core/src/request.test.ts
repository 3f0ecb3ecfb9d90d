import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AssetRequest } from './contracts/request.js';
import { isTiercacheError } from './errors.js';
import { canonicalJson } from './json.js';
import { deriveKey, KEY_SCHEMA_VERSION, MAX_PROMPT_LENGTH, normalizePrompt } from './request.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isTiercacheError(error) ? error.code : 'not a TiercacheError';
  }
  return undefined;
}

describe('deriveKey', () => {
  it('gives the same key for the same request and a 64-hex SHA-256', () => {
    const a = deriveKey({
      type: 'tts',
      prompt: 'Subscribe for more!',
      params: { voice: 'es', engine: 'espeak' },
    });
    const b = deriveKey({
      type: 'tts',
      prompt: 'Subscribe for more!',
      params: { engine: 'espeak', voice: 'es' },
    });
    expect(a.key).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toEqual(b);
  });

  it('normalizes the prompt: NFC, trim, collapsed whitespace', () => {
    const composed = deriveKey({ type: 'image', prompt: 'caf\u00e9  at\tdawn\n' });
    const decomposed = deriveKey({ type: 'image', prompt: '  cafe\u0301 at dawn' });
    expect(decomposed.key).toBe(composed.key);
    expect(composed.prompt).toBe('café at dawn');
    expect(normalizePrompt(' a \u00a0 b ')).toBe('a b');
  });

  it('partitions by type and params: every difference changes key and paramsHash', () => {
    const base = deriveKey({ type: 'tts', prompt: 'hello', params: { voice: { lang: 'en', pitch: 50 } } });
    const voice = deriveKey({ type: 'tts', prompt: 'hello', params: { voice: { lang: 'en', pitch: 51 } } });
    const type = deriveKey({ type: 'image', prompt: 'hello', params: { voice: { lang: 'en', pitch: 50 } } });
    const prompt = deriveKey({ type: 'tts', prompt: 'hello!', params: { voice: { lang: 'en', pitch: 50 } } });
    expect(new Set([base.key, voice.key, type.key, prompt.key]).size).toBe(4);
    expect(voice.paramsHash).not.toBe(base.paramsHash);
    expect(type.paramsHash).not.toBe(base.paramsHash);
    expect(prompt.paramsHash).toBe(base.paramsHash);
  });

  it('follows a reused params object that the caller changed in place', () => {
    const voice: Record<string, string> = { name: 'en-us' };
    const before = deriveKey({ type: 'tts', prompt: 'x', params: voice });
    voice.name = 'en-gb';
    const after = deriveKey({ type: 'tts', prompt: 'x', params: voice });
    expect(after.paramsHash).not.toBe(before.paramsHash);
    expect(after).toEqual(deriveKey({ type: 'tts', prompt: 'x', params: { name: 'en-gb' } }));
  });

  it('never returns a stale key for a reused params object changed in place, however deep', () => {
    const params: Record<string, unknown> = {
      engine: 'espeak-ng',
      voice: { name: 'en-us', tags: ['calm', 1] },
    };
    const request = { type: 'tts', prompt: 'x', params } as unknown as AssetRequest;
    const fresh = () =>
      deriveKey({ type: 'tts', prompt: 'x', params: structuredClone(params) } as AssetRequest).key;
    const keys = new Set([deriveKey(request).key]);
    const voice = params.voice as { name: string; tags: unknown[] };
    const changes: Array<() => void> = [
      () => {
        voice.name = 'en-gb';
      },
      () => {
        voice.tags.push('slow');
      },
      () => {
        voice.tags[1] = 2;
      },
      () => {
        params.speed = 1.1;
      },
      () => {
        delete params.speed;
        params.format = 'wav';
      },
    ];
    for (const change of changes) {
      change();
      const key = deriveKey(request).key;
      expect(key).toBe(fresh());
      keys.add(key);
    }
    expect(keys.size).toBe(changes.length + 1);
    // Same content, another key order: the same key.
    expect(
      deriveKey({
        type: 'tts',
        prompt: 'x',
        params: { format: 'wav', voice, engine: 'espeak-ng' },
      } as AssetRequest).key,
    ).toBe(deriveKey(request).key);
  });

  it('still rejects a reused params object that became invalid', () => {
    const params: Record<string, unknown> = { voice: {} };
    deriveKey({ type: 'tts', prompt: 'x', params } as AssetRequest);
    params.voice = new Date(0); // no own keys, like the {} it replaced
    expect(codeOf(() => deriveKey({ type: 'tts', prompt: 'x', params } as AssetRequest))).toBe(
      'E_INVALID_REQUEST',
    );
    params.voice = { list: [1, 2, 3] };
    deriveKey({ type: 'tts', prompt: 'x', params } as AssetRequest);
    (params.voice as { list: number[] }).list.length = 5; // holes at the end
    expect(codeOf(() => deriveKey({ type: 'tts', prompt: 'x', params } as AssetRequest))).toBe(
      'E_INVALID_REQUEST',
    );
    (params.voice as { list: unknown[] }).list = [1, Number.NaN];
    expect(codeOf(() => deriveKey({ type: 'tts', prompt: 'x', params } as AssetRequest))).toBe(
      'E_INVALID_REQUEST',
    );
  });

  it('treats missing params as empty params', () => {
    expect(deriveKey({ type: 'tts', prompt: 'x' }).key).toBe(
      deriveKey({ type: 'tts', prompt: 'x', params: {} }).key,
    );
  });

  it('keeps field boundaries: moving text between type, params and prompt changes the key', () => {
    const a = deriveKey({ type: 'ab', prompt: 'c' });
    const b = deriveKey({ type: 'a', prompt: 'bc' });
    expect(a.key).not.toBe(b.key);
  });

  it('mixes the key schema version into the hash', () => {
    expect(KEY_SCHEMA_VERSION).toBe(1);
    const { key } = deriveKey({ type: 'tts', prompt: 'x' });
    const paramsHash = createHash('sha256').update('tiercache/v1\u0000tts\u0000{}').digest('hex');
    const expected = createHash('sha256').update(`${paramsHash}\u0000x`).digest('hex');
    expect(key).toBe(expected);
  });

  it.each([['../x'], ['a/b'], [''], ['Image'], ['a'.repeat(33)], ['-tts'], ['a b'], [42]])(
    'rejects the asset type %j with E_INVALID_REQUEST naming it',
    (type) => {
      let message = '';
      try {
        deriveKey({ type, prompt: 'x' } as AssetRequest);
      } catch (error) {
        expect(isTiercacheError(error, 'E_INVALID_REQUEST')).toBe(true);
        message = (error as Error).message;
      }
      expect(message).toMatch(/^@tiercache\/core: asset type/);
      if (typeof type === 'string' && type.length > 0)
        expect(message).toContain(JSON.stringify(type.slice(0, 57)));
    },
  );

  it('accepts a 32-character type and the limit-length prompt', () => {
    expect(() => deriveKey({ type: 'a'.repeat(32), prompt: 'p'.repeat(MAX_PROMPT_LENGTH) })).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \n\t '],
    ['over the limit', 'p'.repeat(MAX_PROMPT_LENGTH + 1)],
    ['not a string', 17],
  ])('rejects a prompt that is %s', (_, prompt) => {
    expect(codeOf(() => deriveKey({ type: 'tts', prompt } as AssetRequest))).toBe('E_INVALID_REQUEST');
  });

  it.each([
    ['a function', { f: () => 1 }],
    ['undefined', { a: undefined }],
    ['NaN', { a: Number.NaN }],
    ['Infinity', { a: [Number.POSITIVE_INFINITY] }],
    ['a Date', { a: new Date(0) }],
    ['a Map', { a: new Map() }],
    ['a class instance', { a: new (class Voice {})() }],
    ['a bigint', { a: 1n }],
    ['a symbol', { a: Symbol('s') }],
    ['an array as params', [1, 2]],
    ['null as params', null],
    ['a sparse array', { a: new Array(3) }],
  ])('rejects params containing %s', (_, params) => {
    expect(codeOf(() => deriveKey({ type: 'tts', prompt: 'x', params } as unknown as AssetRequest))).toBe(
      'E_INVALID_REQUEST',
    );
  });

  it('rejects cyclic params and names the path', () => {
    const voice: Record<string, unknown> = { lang: 'en' };
    voice.self = voice;
    let message = '';
    try {
      deriveKey({ type: 'tts', prompt: 'x', params: { voice } } as unknown as AssetRequest);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('params.voice.self');
    expect(message).toContain('cycle');
  });

  it('allows shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { lang: 'en' };
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 });
    expect(() =>
      deriveKey({
        type: 'tts',
        prompt: 'x',
        params: { a: shared, b: shared, c: bare },
      } as unknown as AssetRequest),
    ).not.toThrow();
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and matches JSON for plain values', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: -0 } })).toBe(
      '{"a":{"c":0,"d":[true,null,"x"]},"b":1}',
    );
    const value = { z: 'é\u2028"', n: 1e21, m: 0.1 };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});
