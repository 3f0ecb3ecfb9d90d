// A canonical or similar hit explains itself everywhere the app reports it: the progress line
// (the matched prompt and each allowed difference), `generate --json` (`matches`) and the video
// manifests. Real eSpeak NG, the local renderer, SQLite and disk; a test matcher stands in for
// the guarded policies as the image policy (its explanation is what they report).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MatchExplanation, Matcher } from '@tiercache/core';
import { afterEach, describe, expect, it } from 'vitest';
import { planGenerate, runGenerate } from './generate-command.js';
import type { AssetRecord } from './generate-summary.js';
import { MediaService } from './media-service.js';
import { readRunRecords } from './metrics-log.js';
import type { Progress } from './progress.js';
import { generateRecord, saveRun, startRecording } from './run-record.js';
import { configIn } from './test-support/service.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-explained-');
let service: MediaService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** Image prompts that differ only by a leading article are the same picture (a canonical hit). */
const articles: Matcher = {
  name: 'test-articles',
  find(request, index) {
    if (request.type !== 'image') return undefined;
    const bare = (prompt: string) => prompt.replace(/^(a|an|the) /i, '');
    const other = index
      .partition(request.type, request.paramsHash)
      .find((p) => p.key !== request.key && bare(p.prompt) === bare(request.prompt));
    const entry = other && index.get(request.type, other.key);
    if (!entry) return undefined;
    const article = (prompt: string) => /^(a|an|the) /i.exec(prompt)?.[1] ?? null;
    const explanation: MatchExplanation = {
      matcher: 'test-articles',
      policy: 'test',
      requestedPrompt: request.prompt,
      matchedPrompt: entry.prompt,
      differences: [{ requested: article(request.prompt), stored: article(entry.prompt), rule: 'article' }],
    };
    return { entry, kind: 'canonical', score: 1, explanation };
  },
};

function recordingProgress(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return { lines, start: () => undefined, item: (line) => void lines.push(line), stop: () => undefined };
}

describe('hits that explain themselves', () => {
  it('progress lines, the --json summary and every manifest carry the matched prompt and the explanation', async () => {
    const config = configIn(dir.path);
    service = await MediaService.create({
      config: { ...config, similarity: { ...config.similarity, image: articles } },
    });
    const plan = await planGenerate(service.config, 'tiny_science', 2);
    const progress = recordingProgress();
    const recorder = startRecording(service);
    const summary = await runGenerate(service, plan, progress);

    // tiny_science's recap scene comes back in video 2 as "lightning bolt over..." after "a
    // lightning bolt over...": the article matcher answers it.
    expect(summary.canonical).toBeGreaterThanOrEqual(1);
    expect(summary.hitRate).toBeCloseTo((summary.exact + summary.canonical) / summary.requests, 10);
    expect(summary.matches).toHaveLength(summary.canonical + summary.similar);
    // The run's record (metrics.jsonl, the dashboard's runs) counts them too.
    await saveRun(service, generateRecord(summary, recorder.finish()));
    const [record] = await readRunRecords(service.config.cacheDir);
    expect(record).toMatchObject({ canonical: summary.canonical, hitRate: summary.hitRate });
    expect(record?.latencyMs.canonical.count).toBe(summary.canonical);
    const match = summary.matches[0]!;
    expect(match).toMatchObject({ kind: 'image', source: 'canonical', score: 1 });
    expect(match.file).toMatch(/^video-2\/scene-\d\.png$/);
    expect(match.requestedPrompt).not.toBe(match.matchedPrompt);
    expect(match.key).toMatch(/^[0-9a-f]{64}$/);
    expect(match.explanation).toEqual({
      matcher: 'test-articles',
      policy: 'test',
      requestedPrompt: match.requestedPrompt,
      matchedPrompt: match.matchedPrompt,
      differences: [{ requested: null, stored: 'a', rule: 'article' }],
    });

    const line = progress.lines.find((text) => text.includes(match.file));
    expect(line).toContain('canonical');
    expect(line).toContain(` <- "${match.matchedPrompt!.slice(0, 57)}`);
    expect(line).toMatch(/\[-a \(article\)\]$/);

    for (const video of [1, 2]) {
      const manifest = JSON.parse(
        await readFile(join(plan.folder, `video-${video}`, 'manifest.json'), 'utf8'),
      ) as { assets: AssetRecord[] };
      for (const asset of manifest.assets) {
        if (asset.source === 'canonical' || asset.source === 'similar') {
          expect(asset.explanation?.matchedPrompt).toBe(asset.matchedPrompt);
          expect(asset.explanation?.differences.length).toBeGreaterThan(0);
        } else expect(asset.explanation).toBeNull();
      }
    }
    const inManifest = JSON.parse(await readFile(join(plan.folder, 'video-2', 'manifest.json'), 'utf8'))
      .assets as AssetRecord[];
    expect(inManifest.find((asset) => `video-2/${asset.file}` === match.file)?.explanation).toEqual(
      match.explanation,
    );
  });
});
