// The quick-start demo: one storyboard of image requests served through memory L1 +
// SQLite index + disk L2 with exact and Jaccard matching, run twice. The second run is a
// fresh cache instance on the same folder, as a new process would be.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createTieredCache, exactMatcher } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { jaccardMatcher } from '@tiercache/matchers';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';
// The reference app's local renderer: a real PNG drawn from the prompt, no network needed.
import { renderPng } from '../apps/media-service/dist/engines/local-renderer.js';

const folder = join(process.cwd(), '.tiercache-demo', 'cache');
const style = 'cinematic, golden hour, 4k';
const storyboard = [
  `a calm lake at sunrise, ${style}`,
  `a runner on a mountain trail, ${style}`,
  `calm lake at sunrise ${style}`, // a near-duplicate: similar hit, no new image
  `a desk with a notebook and coffee, ${style}`,
  `a calm lake at sunrise, ${style}`, // an exact repeat
  `a city skyline at night, ${style}`,
];
// Pretend prices, to show what the savings line computes: what a hosted image model charges.
const PRICE_PER_IMAGE = 0.003;

function openCache() {
  return createTieredCache({
    index: openSqliteIndex({ file: join(folder, 'cache.db') }),
    tiers: [createMemoryTier({ maxBytes: 64 * 1024 * 1024 }), createDiskTier({ dir: folder })],
    matchers: [exactMatcher(), jaccardMatcher()],
  });
}

async function run(label) {
  const cache = openCache();
  console.log(`\n${label}`);
  for (const prompt of storyboard) {
    const request = { type: 'image', prompt, params: { model: 'demo-renderer', width: 320, height: 180 } };
    const started = performance.now();
    const result = await cache.getOrGenerate(request, async () => ({
      bytes: renderPng({ prompt, width: 320, height: 180 }),
      mediaType: 'image/png',
      extension: 'png',
      generationCost: PRICE_PER_IMAGE,
    }));
    const ms = (performance.now() - started).toFixed(2).padStart(6);
    const how =
      result.source === 'generated'
        ? 'generated          '
        : `${result.source} hit (${result.tier})`.padEnd(19) +
          (result.source === 'similar' ? ` score ${result.score.toFixed(2)}` : '');
    console.log(`  ${ms} ms  ${how.padEnd(31)} ${prompt}`);
  }
  const stats = await cache.stats();
  await cache.close();
  console.log(
    `  hits ${stats.session.hits} (similar ${stats.session.similarHits}), misses ${stats.session.misses}, ` +
      `hit rate ${(stats.hitRate * 100).toFixed(0)}%, saved ${stats.saved.generations} generations = $${stats.saved.generationCost.toFixed(3)}`,
  );
  return stats;
}

await rm(join(process.cwd(), '.tiercache-demo'), { recursive: true, force: true });
console.log(`tiercache quick start: cache folder ${folder}`);
await run('Run 1: empty cache');
const stats = await run('Run 2: a new cache instance on the same folder');
console.log('\nstats() after run 2:');
console.log(JSON.stringify(stats, null, 2));
