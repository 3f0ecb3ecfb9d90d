import { isTiercacheError } from '@tiercache/core';
import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from './exposition-parser.js';

const GOOD = `# HELP req_total Requests.
# TYPE req_total counter
req_total{type="tts",note="a \\"quoted\\" \\\\ value\\nnext"} 3
# TYPE lat_seconds histogram
lat_seconds_bucket{le="0.1",type="tts"} 1
lat_seconds_bucket{le="+Inf",type="tts"} 2
lat_seconds_sum{type="tts"} 0.35
lat_seconds_count{type="tts"} 2
`;

describe('parseExposition', () => {
  it('reads families, help, escaped label values and histogram samples', () => {
    const families = parseExposition(GOOD);
    expect(families.get('req_total')).toMatchObject({ type: 'counter', help: 'Requests.' });
    expect(families.get('req_total')?.samples[0]?.labels.note).toBe('a "quoted" \\ value\nnext');
    expect(sampleValue(families, 'req_total', { type: 'tts' })).toBe(3);
    expect(sampleValue(families, 'lat_seconds', { le: '+Inf' }, 'lat_seconds_bucket')).toBe(2);
    expect(sampleValue(families, 'lat_seconds', {}, 'lat_seconds_sum')).toBe(0.35);
  });

  it.each([
    ['undeclared_total 1\n', /no # TYPE line declared/],
    ['# TYPE x counter\nx{a="1" 1\n', /malformed label/],
    ['# TYPE x counter\nx{a="1"} one\n', /not a number/],
    ['# TYPE x gauge\n# TYPE x gauge\n', /declares x twice/],
    ['# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n', /not cumulative/],
    ['# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n', /end at \+Inf/],
  ])('refuses %j', (text, message) => {
    try {
      parseExposition(text);
      expect.unreachable();
    } catch (error) {
      expect(isTiercacheError(error) && error.code).toBe('E_INVALID_EXPOSITION');
      expect((error as Error).message).toMatch(message);
    }
  });
});
