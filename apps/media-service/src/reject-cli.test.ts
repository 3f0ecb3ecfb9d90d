// `media-service cache reject` with the built CLI: a similar hit found in a manifest is refused
// and never served again (the next run generates that file); an exact hit is deleted and
// regenerated; bad input fails with one line and changes nothing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssetRecord, GenerateSummary } from './generate-summary.js';
import type { RejectOutcome } from './reject-command.js';
import { runCli } from './test-support/run-cli.js';
import { snapshot, useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-reject-');
const channel = 'momentum_mindset';
const folder = () => join(dir.path, 'media_local_storage', 'output', channel);
const generate = ['generate', '--channel', channel, '--count', '2'];
const rejectImage = (prompt: string, ...more: string[]) =>
  runCli(dir.path, ['cache', 'reject', '--type', 'image', '--prompt', prompt, '--channel', channel, ...more]);

async function asset(video: number, file: string): Promise<AssetRecord> {
  const manifest = JSON.parse(await readFile(join(folder(), `video-${video}`, 'manifest.json'), 'utf8'));
  return (manifest.assets as AssetRecord[]).find((item) => item.file === file)!;
}

describe('media-service cache reject (built CLI)', () => {
  it('refuses a canonical hit for good, and deletes an exact one so it is generated again', async () => {
    const first = await runCli(dir.path, [...generate, '--json']);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as GenerateSummary;
    const similar = summary.matches.find((match) => match.file === 'video-2/scene-1.png')!;
    // The default image policy serves the prompt written without its articles as a canonical hit.
    expect(similar).toMatchObject({ source: 'canonical', kind: 'image' });
    expect(similar.matchedPrompt).not.toBe(similar.requestedPrompt);
    const recorded = await asset(2, 'scene-1.png');
    expect(recorded).toMatchObject({ source: 'canonical', key: similar.key, text: similar.requestedPrompt });

    const reject = await rejectImage(similar.requestedPrompt);
    expect(reject.stderr).toBe('');
    expect(reject.code).toBe(0);
    expect(reject.stdout).toBe(
      `rejected: image ${JSON.stringify(similar.requestedPrompt)} will no longer be answered by entry ${similar.key!.slice(0, 12)} (${JSON.stringify(similar.matchedPrompt)}, canonical); the next request takes the next match or generates\n`,
    );

    // The next run generates that one picture and serves everything else as before.
    const second = JSON.parse((await runCli(dir.path, [...generate, '--json'])).stdout) as GenerateSummary;
    expect(second).toMatchObject({ generated: 1, requests: summary.requests });
    expect(await asset(2, 'scene-1.png')).toMatchObject({ source: 'generated' });
    const stats = JSON.parse((await runCli(dir.path, ['cache', 'stats', '--json'])).stdout);
    expect(stats.index.rejections).toBe(1);
    expect((await runCli(dir.path, ['cache', 'stats'])).stdout).toMatch(
      /^ {2}rejections {4}1 \(answers refused with cache reject\)$/m,
    );

    // Now served its own entry (exact): rejecting that deletes it, and the run after regenerates it.
    const exact = await rejectImage(similar.requestedPrompt, '--json');
    const outcome = JSON.parse(exact.stdout) as RejectOutcome;
    expect(outcome).toMatchObject({ action: 'deleted', isNew: true, rejected: { source: 'exact' } });
    expect(outcome.rejected.key).toBe(outcome.requestKey);
    const third = JSON.parse((await runCli(dir.path, [...generate, '--json'])).stdout) as GenerateSummary;
    expect(third.generated).toBe(1);
    expect(await asset(2, 'scene-1.png')).toMatchObject({ source: 'generated', key: outcome.requestKey });
  });

  it('bad input fails with one line and leaves the cache as it was', async () => {
    expect((await runCli(dir.path, generate)).code).toBe(0);
    const cacheDir = join(dir.path, 'media_local_storage', 'cache');
    const before = await snapshot(cacheDir);
    const reject = (...args: string[]) => runCli(dir.path, ['cache', 'reject', ...args]);
    const cases: [string[], RegExp][] = [
      [
        ['--type', 'image', '--prompt', 'a castle never drawn'],
        /^media-service: nothing to reject: image "a castle never drawn" is not served from the cache$/,
      ],
      [
        ['--type', 'video', '--prompt', 'x'],
        /^media-service: --type: expected one of tts, image, got "video"$/,
      ],
      [
        ['--type', 'image', '--prompt', 'x', '--entry', '../../etc/passwd'],
        /^media-service: --entry: no image entry "\.\.\/\.\.\/etc\/passwd" in the cache$/,
      ],
      [['--type', 'tts', '--prompt', 'x', '--channel', 'nope'], /^media-service: unknown channel "nope"/],
      [['--type', 'tts'], /^error: required option '--prompt <text>' not specified$/],
    ];
    for (const [args, message] of cases) {
      const run = await reject(...args);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr.trimEnd(), args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
    }
    const after = await snapshot(cacheDir);
    // Only the index's own files may differ (a lookup counts a use); no blob changed.
    const blobs = (files: Record<string, string>) =>
      Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith('cache.db')));
    expect(blobs(after)).toEqual(blobs(before));
  });
});
