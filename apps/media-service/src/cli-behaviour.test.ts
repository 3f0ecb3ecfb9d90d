// What an operator meets at the built CLI: --version, a misspelled option, clearing everything
// (asked on a terminal, refused without one unless --yes), and verify counting each entry once.
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './test-support/run-cli.js';
import { blobFiles, snapshot, useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-behaviour-');
const cacheDir = () => join(dir.path, 'media_local_storage', 'cache');
const generateOne = () => runCli(dir.path, ['generate', '--channel', 'momentum_mindset', '--count', '1']);

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** Runs the CLI on a pseudo-terminal (util-linux `script`), typing `answer` and Enter. */
function runOnTerminal(args: string[], answer: string): Promise<{ code: number; output: string }> {
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      'script',
      ['-qec', command, '/dev/null'],
      { cwd: dir.path, env: { PATH: process.env.PATH ?? '', HOME: dir.path }, timeout: 60_000 },
      (error, stdout) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout });
      },
    );
    child.stdin?.end(`${answer}\n`);
  });
}

describe('media-service CLI behaviour (built CLI)', () => {
  it('--version prints the package version', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const run = await runCli(dir.path, [flag]);
      expect(run).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    }
  });

  it('reports a misspelled option as unknown, with a suggestion, not as a missing one', async () => {
    const run = await runCli(dir.path, ['generate', '--chanel', 'momentum_mindset', '--count', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("error: unknown option '--chanel'\n(Did you mean --channel?)\n");
    const reject = await runCli(dir.path, ['cache', 'reject', '--tpye', 'tts', '--prompt', 'Hi.']);
    expect(reject.stderr).toBe("error: unknown option '--tpye'\n(Did you mean --type?)\n");
    // A required option that is really absent is still named.
    const missing = await runCli(dir.path, ['generate', '--count', '1']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: "error: required option '--channel <name>' not specified\n",
    });
  });

  it('cache clear of everything: refused without a terminal, asked on one, done with --yes', async () => {
    expect((await generateOne()).code).toBe(0);
    const before = await snapshot(cacheDir());

    const unattended = await runCli(dir.path, ['cache', 'clear']);
    expect(unattended.code).toBe(1);
    expect(unattended.stderr).toBe(
      'media-service: cache clear without --type removes every entry: add --yes to confirm (there is no terminal to ask)\n',
    );
    expect(await snapshot(cacheDir())).toEqual(before);

    const declined = await runOnTerminal(['cache', 'clear'], 'n');
    expect(declined.output).toMatch(/Remove all 9 cached entries \(\d+ bytes\) from .*cache\? \[y\/N\]/);
    expect(declined.output).toContain('nothing cleared');
    expect(declined.code).toBe(1);
    expect(await snapshot(cacheDir())).toEqual(before);

    // One named type is not asked.
    const videos = await runCli(dir.path, ['cache', 'clear', '--type', 'video']);
    expect(videos.stdout).toMatch(/^cleared 1 video entry from /);

    const accepted = await runOnTerminal(['cache', 'clear'], 'y');
    expect(accepted.code).toBe(0);
    expect(accepted.output).toMatch(/cleared 8 tts, image and video entries from /);
    expect(await blobFiles(cacheDir(), 'tts')).toEqual([]);

    expect((await generateOne()).code).toBe(0);
    const yes = await runCli(dir.path, ['cache', 'clear', '--yes']);
    expect(yes).toMatchObject({ code: 0, stderr: '' });
    expect(yes.stdout).toMatch(/^cleared 9 tts, image and video entries from /);
  });

  it('cache verify counts a corrupt entry once, not also as missing', async () => {
    expect((await generateOne()).code).toBe(0);
    const [corrupt, gone] = await blobFiles(cacheDir(), 'tts');
    const corruptPath = join(cacheDir(), 'tts', corrupt!);
    await writeFile(corruptPath, Buffer.alloc((await readFile(corruptPath)).length, 7));
    await rm(join(cacheDir(), 'tts', gone!));

    const verify = await runCli(dir.path, ['cache', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout.split('\n')[0]).toBe(
      'verified 9 entries: 7 good, 1 corrupt, 1 missing; 0 orphaned files',
    );

    const repair = await runCli(dir.path, ['cache', 'verify', '--repair']);
    expect(repair.code).toBe(0);
    expect(repair.stdout).toBe(
      'verified 9 entries: 7 good, 1 corrupt, 1 missing; 0 orphaned files, 1 file repaired\n',
    );
    const after = await runCli(dir.path, ['cache', 'verify']);
    expect(after).toMatchObject({
      code: 0,
      stdout: 'verified 7 entries: 7 good, 0 corrupt, 0 missing; 0 orphaned files\n',
    });
  });
});
