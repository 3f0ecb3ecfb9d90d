// The dashboard page's script, run by the browser as a module: reads only the JSON of
// /api/dashboard and reprices it with `computeSavings`, the function `cache savings` runs.

import type { Price } from '@tiercache/media';
import type { DashboardData } from '../dashboard-model.js';
import { computeSavings } from '../savings-calculator.js';
import { bytes, money, ms, num, pct, when } from './format.js';
import { drawRunsChart } from './runs-chart.js';

/** One figure of the "All time" cards: adding a figure to the page is one entry here. */
interface Card {
  id: string;
  label: string;
  value: (data: DashboardData) => string;
}

const CARDS: readonly Card[] = [
  { id: 'hit-rate', label: 'hit rate (uses served from the cache)', value: (d) => pct(d.allTime.hitRate) },
  { id: 'requests', label: 'requests', value: (d) => num(d.allTime.requests) },
  { id: 'calls-avoided', label: 'generation calls avoided', value: (d) => num(d.allTime.hits) },
  {
    id: 'time-saved',
    label: 'generation time saved',
    value: (d) => `${num(d.savings.generationMs / 1000)} s`,
  },
  // Filled in by the calculator below, at the prices chosen there.
  { id: 'money-saved', label: 'money saved at the prices below', value: () => '–' },
  {
    id: 'entries',
    label: 'entries stored',
    value: (d) => `${num(d.allTime.entries)} · ${bytes(d.allTime.bytes)}`,
  },
];

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

function setText(id: string, text: string): void {
  element(id).textContent = text;
}

function row(table: string, cells: readonly (string | number)[]): void {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = String(cell);
    tr.append(td);
  }
  element(table).querySelector('tbody')?.append(tr);
}

function renderCards(data: DashboardData): void {
  const box = element('cards');
  for (const card of CARDS) {
    const wrapper = document.createElement('div');
    wrapper.className = 'card';
    const value = document.createElement('div');
    value.className = 'value';
    value.id = card.id;
    value.textContent = card.value(data);
    const label = document.createElement('div');
    label.className = 'label';
    label.textContent = card.label;
    wrapper.append(value, label);
    box.append(wrapper);
  }
}

function renderRuns(data: DashboardData): void {
  const chart = document.getElementById('runs-chart');
  if (chart instanceof SVGSVGElement) drawRunsChart(chart, data.runs);
  const split = (latency: { p50: number | null; p95: number | null }) =>
    `${ms(latency.p50)} / ${ms(latency.p95)}`;
  // Newest first in the table, numbered as in the chart.
  for (const [i, run] of [...data.runs.entries()].reverse()) {
    const latency = run.latencyMs;
    row('runs', [
      `#${i + 1} ${when(run.at)}`,
      run.channel ?? run.command,
      num(run.requests),
      `${num(run.exact)} / ${num(run.canonical)} / ${num(run.similar)} / ${num(run.generated)}`,
      pct(run.hitRate),
      split(latency.exact),
      split(latency.canonical),
      split(latency.similar),
      split(latency.generated),
      `${num(run.saved.generations)} · ${num(run.saved.generationMs / 1000)} s`,
      run.hostedEquivalent === null ? '–' : money(run.hostedEquivalent),
    ]);
  }
}

const perMillion = (price: Price) =>
  price.perCharacter ? `$${(price.perCharacter * 1e6).toFixed(2)}/M chars` : 'free';
const perMegapixel = (price: Price) => (price.perMegapixel ? `$${price.perMegapixel}/MP` : 'free');

function fillChoices(
  select: HTMLSelectElement,
  table: Record<string, Price>,
  chosen: string,
  describe: (price: Price) => string,
): void {
  for (const [name, price] of Object.entries(table))
    select.append(new Option(`${name} (${describe(price)})`, name, false, name === chosen));
  select.append(new Option('custom price…', 'custom'));
}

function priceOf(data: DashboardData, kind: 'tts' | 'image'): Price {
  const select = element<HTMLSelectElement>(`${kind}-choice`);
  const custom = element<HTMLInputElement>(`${kind}-custom`);
  custom.hidden = select.value !== 'custom';
  if (select.value !== 'custom') return data.pricing[kind][select.value] ?? {};
  const value = Number(custom.value) || 0;
  return kind === 'tts' ? { perCharacter: value / 1e6 } : { perMegapixel: value };
}

function recompute(data: DashboardData): void {
  const videos = Math.max(0, Number(element<HTMLInputElement>('videos').value) || 0);
  const result = computeSavings(
    data.figures,
    { tts: priceOf(data, 'tts'), image: priceOf(data, 'image') },
    { videos, requestsPerVideo: data.calculator.requestsPerVideo },
  );
  setText('money-saved', money(result.listPriceSaved));
  setText('calc-saved', money(result.listPriceSaved));
  setText('calc-spent', money(result.listPriceSpent));
  setText('calc-tts', money(result.byType.tts?.listPriceSaved ?? 0));
  setText('calc-image', money(result.byType.image?.listPriceSaved ?? 0));
  const projection = result.projection;
  setText(
    'calc-projection',
    `${money(projection.listPriceSaved)} and ${Math.round(projection.generations).toLocaleString('en-US')} calls (${num(projection.generationMs / 1000)} s) for ${num(videos)} videos`,
  );
}

async function load(): Promise<void> {
  const response = await fetch(`/api/dashboard${location.search}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /api/dashboard: ${response.status}`);
  const data = (await response.json()) as DashboardData;
  const all = data.allTime;
  setText(
    'where',
    `${data.profile} profile · ${data.cacheDir ?? 'in memory'} · ${new Date(data.generatedAt).toLocaleString()}`,
  );
  renderCards(data);
  for (const [type, usage] of Object.entries(all.byType))
    row('types', [
      type,
      num(usage.entries),
      num(usage.uses),
      num(usage.hits),
      pct(usage.hitRate),
      bytes(usage.bytes),
    ]);
  for (const tier of data.tiers)
    row('tiers', [tier.name, num(tier.entries), bytes(tier.bytes), num(tier.runHits)]);
  renderRuns(data);
  fillChoices(element('tts-choice'), data.pricing.tts, data.calculator.ttsEngine, perMillion);
  fillChoices(element('image-choice'), data.pricing.image, data.calculator.imageModel, perMegapixel);
  element<HTMLInputElement>('videos').value = String(data.calculator.videos);
  setText('per-video', num(data.calculator.requestsPerVideo));
  for (const id of ['tts-choice', 'image-choice', 'tts-custom', 'image-custom', 'videos'])
    element(id).addEventListener('input', () => recompute(data));
  element('calculator').addEventListener('submit', (event) => event.preventDefault());
  recompute(data);
  document.body.dataset.state = 'ready';
}

load().catch((error: unknown) => {
  setText('status', error instanceof Error ? error.message : String(error));
  document.body.dataset.state = 'error';
});
