import { describe, expect, it } from 'vitest';
import { createRedactor } from './redaction.js';

describe('createRedactor', () => {
  const key = 'tgp_v1_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

  it('hides every configured secret wherever it appears, longest first', () => {
    const redact = createRedactor([key, `${key}-longer`, undefined, '', 'ab']);
    expect(redact(`bad key ${key} and ${key}-longer`)).toBe('bad key [redacted] and [redacted]');
    // Too short to be a key: redacting it would mangle ordinary words.
    expect(redact('about tabs')).toBe('about tabs');
  });

  it('hides echoed Authorization headers and bearer tokens it was not told about', () => {
    const redact = createRedactor([]);
    expect(
      redact('{"error":{"message":"Invalid header Authorization: Bearer abcdefghijklmnop"}}'),
    ).not.toContain('abcdefghijklmnop');
    expect(redact('"authorization": "Bearer zyxwvutsrq987654"')).toBe('"authorization": "[redacted]"');
    expect(redact('token Bearer zyxwvutsrq987654 was refused')).toBe('token Bearer [redacted] was refused');
  });
});
