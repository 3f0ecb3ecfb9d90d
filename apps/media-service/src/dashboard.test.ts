// The dashboard end to end: the README demo run twice with the built CLI, then `dashboard
// --port 0` as a real process, its JSON, `cache savings`, and the page rendered by headless
// Chromium (the numbers on it are filled in by the page's own script from that JSON).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData } from './dashboard-model.js';
import { CLI, runCli } from './test-support/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';
let dir = '';
let dashboard: ChildProcess | undefined;
let url = '';

/** Starts `media-service dashboard --port 0` and reads the URL it prints. */
function startDashboard(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'dashboard', '--port', '0'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (found?.[1]) resolve({ child, url: found[1] });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`dashboard exited with ${code}: ${err}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function chromiumDom(page: string, profile: string): Promise<string> {
  try {
    await access(CHROMIUM);
  } catch {
    throw new Error(
      `the dashboard page test needs Chromium at ${CHROMIUM}: apt-get install -y chromium (npm test installs it as root)`,
    );
  }
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=5000',
    '--dump-dom',
    page,
  ];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, args, { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-service-dashboard-'));
  for (let run = 0; run < 2; run++) {
    const result = await runCli(dir, ['generate', '--channel', 'momentum_mindset', '--count', '3']);
    expect(result.code).toBe(0);
  }
  ({ child: dashboard, url } = await startDashboard(dir));
}, 60_000);

afterAll(async () => {
  if (dashboard && dashboard.exitCode === null) {
    const exited = exitOf(dashboard);
    dashboard.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

const api = async () => (await (await fetch(`${url}api/dashboard`)).json()) as DashboardData;

describe('media-service dashboard', () => {
  it('GET /api/dashboard: all-time figures from the index and both runs from metrics.jsonl', async () => {
    const data = await api();
    // Run 1: 14 generated, 10 hits, 3 videos encoded; run 2: 24 hits and 3 videos from the
    // cache. 54 uses of 17 entries.
    expect(data.allTime).toMatchObject({ entries: 17, requests: 54, hits: 37 });
    expect(data.allTime.hitRate).toBeCloseTo(37 / 54, 12);
    expect(data.allTime.byType.tts).toMatchObject({ entries: 8, uses: 30, hits: 22 });
    expect(data.allTime.byType.image).toMatchObject({ entries: 6, uses: 18, hits: 12 });
    expect(data.allTime.byType.video).toMatchObject({ entries: 3, uses: 6, hits: 3 });
    expect(data.runs.map((run) => (run.hitRate * 100).toFixed(1))).toEqual(['41.7', '100.0']);
    // Latency samples are per cache request: run 2's 21 exact assets and its 3 stored videos.
    expect(data.runs.map((run) => run.latencyMs.exact.count)).toEqual([7, 24]);
    expect(data.tiers.map((tier) => tier.name)).toEqual(['memory', 'disk']);
    expect(data.tiers.reduce((sum, tier) => sum + tier.runHits, 0)).toBe(37);
    expect(data.calculator).toMatchObject({ ttsEngine: 'openai-tts-1', requestsPerVideo: 8, videos: 100 });
    expect(data.savings.generations).toBe(37);
    expect(data.savings.listPriceSaved).toBeGreaterThan(0);
    // Free local engines: nothing recorded, so only the chosen list price shows money.
    expect(data.savings.generationCost).toBe(0);
    expect((await fetch(`${url}nothing-here`)).status).toBe(404);
    // The page's script is the typed module compiled by tsc, and nothing else of dist/ is served.
    const script = await fetch(`${url}client/dashboard-page-script.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain("from '../savings-calculator.js'");
    expect((await fetch(`${url}client/config.js`)).status).toBe(404);
    expect((await fetch(`${url}config.js`)).status).toBe(404);
    expect((await fetch(`${url}api/dashboard`, { method: 'POST' })).status).toBe(405);
  });

  it('cache savings prints the same figures, priced as asked', async () => {
    const data = await api();
    const text = await runCli(dir, ['cache', 'savings']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^ {2}requests {6}54: 37 served from the cache, 17 generated \(hit rate 68\.5%\)$/m,
    );
    expect(text.stdout).toContain(`  money saved   $${data.savings.listPriceSaved.toFixed(4)} (tts `);
    const free = await runCli(dir, [
      'cache',
      'savings',
      '--tts-engine',
      'espeak-ng',
      '--image-model',
      'local-renderer',
      '--json',
    ]);
    const json = JSON.parse(free.stdout) as Pick<DashboardData, 'savings' | 'calculator'>;
    expect(json.calculator).toMatchObject({ ttsEngine: 'espeak-ng', imageModel: 'local-renderer' });
    expect(json.savings).toMatchObject({ generations: 37, listPriceSaved: 0, listPriceSpent: 0 });
    const bad = await runCli(dir, ['cache', 'savings', '--tts-engine', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^media-service: --tts-engine: expected one of espeak-ng, .*, got "nope"\n$/);
  });

  it('the page, rendered by headless Chromium, shows the numbers its script computed', async () => {
    const data = await api();
    const profile = await mkdtemp(join(tmpdir(), 'media-service-chromium-'));
    try {
      const dom = await chromiumDom(url, profile);
      expect(dom).toContain('data-state="ready"');
      expect(dom).toMatch(/id="hit-rate">68\.5%</);
      expect(dom).toMatch(/id="calls-avoided">37</);
      // Repriced in the browser by the embedded calculator: the same figure as the server's.
      expect(dom).toContain(`id="money-saved">$${data.savings.listPriceSaved.toFixed(4)}<`);
      expect(dom).toMatch(/id="calc-projection">\$\d+\.\d+ and \d+ calls/);
      expect(dom.match(/class="run-bar"/g)).toHaveLength(2);
      const runRows = dom.slice(
        dom.indexOf('<table id="runs"'),
        dom.indexOf('</table>', dom.indexOf('<table id="runs"')),
      );
      expect(runRows).toMatch(
        /<td>#1 [^<]+<\/td><td>momentum_mindset<\/td><td>24<\/td><td>7 \/ 3 \/ 0 \/ 14<\/td><td>41\.7%<\/td>/,
      );
      expect(runRows).toMatch(
        /<td>#2 [^<]+<\/td><td>momentum_mindset<\/td><td>24<\/td><td>21 \/ 3 \/ 0 \/ 0<\/td><td>100\.0%<\/td>/,
      );
      expect(dom).toMatch(/<option value="elevenlabs">elevenlabs \(\$300\.00\/M chars\)<\/option>/);
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
  }, 40_000);

  it('stops on SIGTERM with exit code 0; a bad port is one line and a non-zero exit', async () => {
    const bad = await runCli(dir, ['dashboard', '--port', '70000']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'media-service: --port: expected a whole number from 0 (any free port) to 65535, got "70000"\n',
    );
    const busy = await runCli(dir, ['dashboard', '--port', new URL(url).port]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(
      /^media-service: dashboard: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)\n$/,
    );

    const child = dashboard as ChildProcess;
    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
