import { describe, expect, it } from 'vitest';
import { TiercacheError } from '../errors.js';
import { checkOptions } from './option-checker.js';

interface ExampleOptions {
  dir: string;
  maxBytes?: number;
  maxAgeMs?: number;
  fsync?: boolean;
  delivery?: 'copy' | 'hardlink-readonly';
  now?: () => number;
}
const known = ['dir', 'maxBytes', 'maxAgeMs', 'fsync', 'delivery', 'now'] as const;

function failure(action: () => unknown): TiercacheError {
  try {
    action();
  } catch (error) {
    if (error instanceof TiercacheError) return error;
    throw error;
  }
  throw new Error('expected a TiercacheError');
}

describe('checkOptions', () => {
  it('reads every field kind, with defaults and optional fields', () => {
    const now = () => 7;
    const check = checkOptions<ExampleOptions>(
      '@tiercache/example',
      { dir: '/tmp/x', maxBytes: 10, now },
      { known },
    );
    expect(check.string('dir')).toBe('/tmp/x');
    expect(check.integer('maxBytes', { min: 1 })).toBe(10);
    expect(check.number('maxAgeMs', { optional: true })).toBeUndefined();
    expect(check.boolean('fsync', { default: false })).toBe(false);
    expect(check.oneOf('delivery', ['copy', 'hardlink-readonly'], { default: 'copy' })).toBe('copy');
    expect(check.function<() => number>('now', { default: Date.now })).toBe(now);
  });

  it('refuses an unknown option and suggests the closest known name', () => {
    const error = failure(() =>
      checkOptions<ExampleOptions>('@tiercache/example', { dir: 'x', maxbytes: 1 }, { known }),
    );
    expect(error.code).toBe('E_INVALID_OPTIONS');
    expect(error.message).toBe('@tiercache/example: unknown option maxbytes (did you mean maxBytes?)');
    expect(error.context).toEqual({ option: 'maxbytes', suggestion: 'maxBytes' });
  });

  it('suggests a hinted name that is not close in spelling, and nothing for a stranger', () => {
    const hints = { ttl: 'maxAgeMs' } as const;
    const hinted = failure(() =>
      checkOptions<ExampleOptions>('@tiercache/example', { ttl: 5 }, { known, hints }),
    );
    expect(hinted.message).toContain('unknown option ttl (did you mean maxAgeMs?)');
    const stranger = failure(() =>
      checkOptions<ExampleOptions>('@tiercache/example', { colour: 'red' }, { known }),
    );
    expect(stranger.message).toBe('@tiercache/example: unknown option colour');
  });

  it('refuses a value of the wrong kind, naming the option and the value', () => {
    const check = checkOptions<ExampleOptions>(
      '@tiercache/example',
      { dir: '', maxBytes: 1.5, maxAgeMs: -1, fsync: 'yes', delivery: 'symlink', now: 3 },
      { known },
    );
    expect(failure(() => check.string('dir')).message).toBe(
      '@tiercache/example: option dir "" is invalid; expected a non-empty string of at most 1024 characters',
    );
    expect(failure(() => check.integer('maxBytes', { min: 1, max: 100 })).message).toContain(
      'option maxBytes 1.5 is invalid; expected an integer from 1 to 100',
    );
    expect(failure(() => check.number('maxAgeMs', { optional: true })).message).toContain(
      'expected a number above 0',
    );
    expect(failure(() => check.boolean('fsync', { default: false })).message).toContain(
      'expected true or false',
    );
    expect(failure(() => check.oneOf('delivery', ['copy', 'hardlink-readonly'])).message).toContain(
      "expected 'copy' or 'hardlink-readonly'",
    );
    expect(failure(() => check.function('now')).context).toEqual({ option: 'now', value: '3' });
  });

  it('refuses a missing required field and options that are not an object', () => {
    const check = checkOptions<ExampleOptions>('@tiercache/example', {}, { known });
    expect(failure(() => check.string('dir')).message).toContain('option dir undefined is invalid');
    expect(
      failure(() => checkOptions('@tiercache/example', null, { known, expected: 'an object with dir' }))
        .message,
    ).toBe('@tiercache/example: option object null is invalid; expected an object with dir');
  });

  it('leaves a secret out of the message with redactValue', () => {
    const check = checkOptions<{ url: string }>('@tiercache/example', { url: 42 }, { known: ['url'] });
    const error = failure(() => check.string('url', { redactValue: true, expected: 'a connection string' }));
    expect(error.message).toBe('@tiercache/example: option url is invalid; expected a connection string');
    expect(error.context).toEqual({ option: 'url' });
  });
});
