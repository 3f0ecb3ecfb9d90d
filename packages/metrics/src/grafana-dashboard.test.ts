import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from './metric-names.js';

interface Panel {
  title: string;
  targets: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync(new URL('../grafana/tiercache.json', import.meta.url), 'utf8')) as {
  panels: Panel[];
  uid: string;
};
const exported = new Set<string>(Object.values(METRIC_NAMES));
const HISTOGRAMS = [METRIC_NAMES.hitDuration, METRIC_NAMES.missDuration, METRIC_NAMES.generationDuration];
// A histogram is queried through its series, never by its family name alone.
const queryable = new Set([
  ...[...exported].filter((name) => !HISTOGRAMS.includes(name as (typeof HISTOGRAMS)[number])),
  ...HISTOGRAMS.flatMap((name) => ['_bucket', '_sum', '_count'].map((suffix) => `${name}${suffix}`)),
]);

describe('grafana/tiercache.json', () => {
  const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
  const referenced = exprs.flatMap((expr) => expr.match(/\btiercache_[a-z_]+/g) ?? []);

  it('is a dashboard whose every query names metrics the package exports', () => {
    expect(dashboard.uid).toBe('tiercache');
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) expect(expr).toMatch(/\btiercache_/);
    for (const name of referenced)
      expect(queryable, `${name} is not a metric of @tiercache/metrics`).toContain(name);
  });

  it('charts every metric the package exports', () => {
    const charted = new Set(referenced.map((name) => name.replace(/_(bucket|sum|count)$/, '')));
    for (const name of exported) expect(charted, `no panel shows ${name}`).toContain(name);
  });
});
