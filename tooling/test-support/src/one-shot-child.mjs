// A one-shot script, as a user would write one: an S3 tier behind a TieredCache, every call
// awaited, no process.exit, on the built packages. Run by s3's `one-shot.test.ts` and the
// integration fault table against a bucket that is down; the tests assert that it ends by itself with code 0, having generated. Reports one JSON line.
// argv: <options JSON: S3TierOptions without bucket and onWarning>
import { createMemoryIndex, createTieredCache, exactMatcher } from '@tiercache/core';
import { createS3Tier } from '@tiercache/s3';

const s3 = createS3Tier({
  bucket: 'tiercache-tests',
  onWarning: () => undefined,
  ...JSON.parse(process.argv[2]),
});
const index = createMemoryIndex();
const cache = createTieredCache({ tiers: [s3], index, matchers: [exactMatcher()] });
const report = { generated: 0, steps: {} };

/** Runs one awaited step; records its time and outcome (a typed error's code, never its text). */
async function step(name, run) {
  const started = performance.now();
  let outcome = 'ok';
  try {
    const value = await run();
    if (typeof value === 'string') outcome = value;
  } catch (error) {
    outcome = error?.code ?? 'untyped error';
  }
  report.steps[name] = { outcome, ms: Math.round(performance.now() - started) };
}

const generate = async () => {
  report.generated++;
  return { bytes: new TextEncoder().encode('one-shot clip'), mediaType: 'audio/wav', extension: 'wav' };
};
await step(
  'getOrGenerate',
  async () => (await cache.getOrGenerate({ type: 'tts', prompt: 'one shot' }, generate)).source,
);
await step('get', async () => ((await cache.get({ type: 'tts', prompt: 'never stored' })) ? 'hit' : 'miss'));
await step('sync', async () => ((await s3.sync(index)).complete ? 'complete' : 'incomplete'));
await step('delete', async () =>
  String(await s3.delete({ type: 'tts', key: 'a'.repeat(64), extension: 'wav' })),
);
await step('clear', () => cache.clear());
await step('close', () => cache.close());
process.stdout.write(`${JSON.stringify(report)}\n`);
