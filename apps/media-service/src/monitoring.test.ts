// /metrics and /healthz of the dashboard server, in process: scraped and parsed with a strict
// Prometheus text parser; the health of a cache whose bucket is unreachable; the access token.
import { parseExposition, sampleValue } from '@tiercache/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardToken, isLoopback } from './dashboard-access.js';
import { type DashboardServer, startDashboard } from './dashboard-server.js';
import type { HealthReport } from './health-check.js';
import type { MediaService } from './media-service.js';
import { runCli } from './test-support/run-cli.js';
import { unreachableS3Env } from './test-support/s3.js';
import { serviceIn } from './test-support/service.js';
import { useTempDir } from './test-support/temp-dir.js';

const dir = useTempDir('media-service-monitoring-');
const open: { service: MediaService; server: DashboardServer }[] = [];
afterEach(async () => {
  for (const { service, server } of open.splice(0)) {
    await server.close();
    await service.close();
  }
});

async function serve(env: Record<string, string> = {}, token?: string) {
  const service = await serviceIn(dir.path, env);
  const server = await startDashboard(service, { host: '127.0.0.1', port: 0, token });
  open.push({ service, server });
  return { service, url: server.url };
}

const TOKEN = 'a-test-token-of-24-chars';

describe('GET /metrics', () => {
  it('serves the cache and process metrics in the Prometheus text format', async () => {
    const { service, url } = await serve();
    const prompt = 'a lighthouse on a private island at dusk';
    await service.generateImage(prompt);
    expect((await service.generateImage(prompt)).source).toBe('exact');
    await service.generateTts('Welcome back to the channel.');

    const response = await fetch(`${url}metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).not.toContain('lighthouse');
    const families = parseExposition(text);
    expect(
      sampleValue(families, 'tiercache_hits_total', { type: 'image', kind: 'exact', tier: 'memory' }),
    ).toBe(1);
    expect(sampleValue(families, 'tiercache_misses_total', { type: 'image' })).toBe(1);
    expect(sampleValue(families, 'tiercache_misses_total', { type: 'tts' })).toBe(1);
    expect(sampleValue(families, 'tiercache_stores_total', { type: 'tts' })).toBe(1);
    expect(
      sampleValue(
        families,
        'tiercache_generation_duration_seconds',
        { type: 'image' },
        'tiercache_generation_duration_seconds_count',
      ),
    ).toBe(1);
    expect(sampleValue(families, 'tiercache_index_entries', { type: 'image' })).toBe(1);
    expect(sampleValue(families, 'tiercache_index_uses', { type: 'image' })).toBe(2);
    expect(sampleValue(families, 'tiercache_tier_entries', { tier: 'disk' })).toBe(2);
    expect(sampleValue(families, 'tiercache_index_up')).toBe(1);
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
  });
});

describe('GET /healthz', () => {
  it('200 with every part ok on the local profile', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}healthz`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as HealthReport;
    expect(report).toMatchObject({
      status: 'ok',
      cacheEnabled: true,
      degraded: [],
      index: { status: 'ok', entries: 0 },
    });
    expect(report.tiers).toEqual([
      { name: 'memory', status: 'ok' },
      { name: 'disk', status: 'ok' },
    ]);
  });

  it('503 naming the S3 tier when its bucket is unreachable; the local tiers stay ok', async () => {
    const { url } = await serve(await unreachableS3Env());
    const response = await fetch(`${url}healthz`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain('wJalrXUtnFEMI');
    const report = JSON.parse(text) as HealthReport;
    expect(report.status).toBe('degraded');
    expect(report.degraded).toEqual(['s3']);
    expect(report.tiers.find((tier) => tier.name === 's3')?.reason).toMatch(/\S/);
    expect(report.index.status).toBe('ok');
  });

  it('200 with the cache disabled: nothing to check', async () => {
    const { url } = await serve({ TIERCACHE_ENABLE_CACHE: 'false' });
    const response = await fetch(`${url}healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', cacheEnabled: false, tiers: [] });
  });
});

describe('access token', () => {
  it('a configured token is required on every route, as a Bearer header or ?token=', async () => {
    const { url } = await serve({}, TOKEN);
    for (const path of ['', 'api/dashboard', 'metrics', 'healthz']) {
      const refused = await fetch(`${url}${path}`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect(
        (await fetch(`${url}${path}`, { headers: { authorization: 'Bearer wrong-token-of-24-chars!' } }))
          .status,
      ).toBe(401);
      expect((await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
        200,
      );
      expect((await fetch(`${url}${path}?token=${TOKEN}`)).status).toBe(200);
    }
  });

  it('listening beyond loopback without a token is refused with what to do', async () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('::')).toBe(false);
    expect(isLoopback('192.168.1.20')).toBe(false);
    expect(dashboardToken('127.0.0.1', undefined)).toBeUndefined();
    expect(dashboardToken('0.0.0.0', TOKEN)).toBe(TOKEN);
    expect(() => dashboardToken('0.0.0.0', 'short')).toThrow(
      /TIERCACHE_DASHBOARD_TOKEN is too short \(5 characters\)/,
    );

    const run = await runCli(dir.path, ['dashboard', '--host', '0.0.0.0', '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'media-service: dashboard: refusing to listen on 0.0.0.0 without an access token: the dashboard shows prompts. Set TIERCACHE_DASHBOARD_TOKEN (at least 16 characters; clients send it in the Authorization header with the Bearer scheme, or as ?token=), or listen on 127.0.0.1\n',
    );
  });
});
