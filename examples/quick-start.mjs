// The quick-start demo, on the published packages only: one storyboard of image requests served through memory L1 +
// SQLite index + disk L2 with exact and Jaccard matching, run twice. The second run is a
// fresh cache instance on the same folder, as a new process would be.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createTieredCache, exactMatcher } from '@tiercache/core';
import { createDiskTier } from '@tiercache/disk';
import { jaccardMatcher } from '@tiercache/matchers';
import { createMemoryTier } from '@tiercache/memory';
import { openSqliteIndex } from '@tiercache/sqlite';

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

/** Stands in for an image model: an SVG card of the prompt, in a colour drawn from its words. */
function drawImage(prompt, width, height) {
  let hue = 0;
  for (const character of prompt) hue = (hue * 31 + character.codePointAt(0)) % 360;
  const text = prompt.replace(/[<>&"]/g, (c) => `&#${c.codePointAt(0)};`);
  return new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="100%" height="100%" fill="hsl(${hue} 60% 45%)"/>` +
      `<text x="12" y="${height / 2}" fill="white" font-size="14">${text}</text></svg>`,
  );
}

function openCache() {
  return createTieredCache({
    index: openSqliteIndex({ file: join(folder, 'cache.db') }),
    tiers: [createMemoryTier({ maxBytes: 64 * 1024 * 1024 }), createDiskTier({ dir: folder })],
    // Jaccard over prompt words at its default threshold: near-duplicates become similar hits.
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
      bytes: drawImage(prompt, 320, 180),
      mediaType: 'image/svg+xml',
      extension: 'svg',
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
