import { computeSavings } from './savings-calculator.js';

const STYLE = `
:root { --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --accent: #2e6fdb; --good: #17805c; --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 16px 28px; background: #fff; border-bottom: 1px solid var(--line); display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
header h1 { font-size: 18px; margin: 0; }
header .where { color: var(--muted); font-size: 13px; }
main { padding: 20px 28px; display: grid; gap: 18px; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 14px; margin: 0 0 10px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card .value { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 12px; }
#runs { font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: 4px 7px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th:first-child, td:first-child, #runs td:nth-child(2), #runs th:nth-child(2) { text-align: left; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
.scroll { overflow-x: auto; }
form { display: grid; grid-template-columns: auto 1fr; gap: 8px 12px; align-items: center; margin-bottom: 12px; }
select, input { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; min-width: 0; }
.note { color: var(--muted); font-size: 12px; margin: 8px 0 0; }
#savings { max-width: 720px; }
#videos { width: 90px; }
#status { color: #b42318; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
`;

// Runs in the browser; reads only the JSON of /api/dashboard, and reprices with computeSavings
// (the same function `cache savings` runs, embedded as source below).
const SCRIPT = `
const $ = (id) => document.getElementById(id);
const pct = (x) => (x * 100).toFixed(1) + '%';
const money = (x) => '$' + (Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(4));
const ms = (x) => (x === null || x === undefined ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const bytes = (n) => n === null ? '–' : n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB';
const when = (iso) => new Date(iso).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const num = (n) => n === null ? '–' : Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 });
function row(table, cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) { const td = document.createElement('td'); td.textContent = String(cell); tr.append(td); }
  $(table).querySelector('tbody').append(tr);
}
function svg(name, attrs, text) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}
function chart(runs) {
  const box = $('runs-chart');
  // Drawn at the element's real width, so labels keep their shape; bars are capped at 40 px.
  const width = Math.max(box.clientWidth || 640, 200), height = 160, left = 40, bottom = 18, top = 16;
  box.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  for (const level of [0, 0.5, 1]) {
    const y = top + (1 - level) * (height - top - bottom);
    box.append(svg('line', { x1: left, x2: width, y1: y, y2: y, stroke: '#e4e7ec' }));
    box.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, (level * 100) + '%'));
  }
  const slot = Math.min((width - left) / Math.max(runs.length, 1), 56);
  const bar = Math.min(slot * 0.7, 40);
  runs.forEach((run, i) => {
    const h = run.hitRate * (height - top - bottom);
    const x = left + i * slot + (slot - bar) / 2;
    const rect = svg('rect', { x, y: height - bottom - h, width: bar, height: Math.max(h, 1), rx: 2, fill: run.command === 'warm' ? '#9bb8ee' : '#2e6fdb', class: 'run-bar' });
    rect.append(svg('title', {}, new Date(run.at).toLocaleString() + ': ' + pct(run.hitRate)));
    box.append(rect);
    if (slot >= 40) {
      box.append(svg('text', { x: x + bar / 2, y: height - bottom - h - 3, 'text-anchor': 'middle' }, pct(run.hitRate)));
      box.append(svg('text', { x: x + bar / 2, y: height - 4, 'text-anchor': 'middle' }, '#' + (i + 1)));
    }
  });
  if (runs.length === 0) box.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no runs logged yet: run generate'));
}
function options(select, table, chosen, describe) {
  for (const name of Object.keys(table)) {
    const option = new Option(name + ' (' + describe(table[name]) + ')', name, false, name === chosen);
    select.append(option);
  }
  select.append(new Option('custom price…', 'custom'));
}
const perMillion = (p) => p.perCharacter ? '$' + (p.perCharacter * 1e6).toFixed(2) + '/M chars' : 'free';
const perMp = (p) => p.perMegapixel ? '$' + p.perMegapixel + '/MP' : 'free';
function priceOf(kind) {
  const select = $(kind + '-choice');
  const custom = $(kind + '-custom');
  custom.hidden = select.value !== 'custom';
  if (select.value !== 'custom') return DATA.pricing[kind][select.value];
  const value = Number(custom.value) || 0;
  return kind === 'tts' ? { perCharacter: value / 1e6 } : { perMegapixel: value };
}
function recompute() {
  const videos = Math.max(0, Number($('videos').value) || 0);
  const result = computeSavings(DATA.figures, { tts: priceOf('tts'), image: priceOf('image') }, { videos, requestsPerVideo: DATA.calculator.requestsPerVideo });
  $('money-saved').textContent = money(result.moneySaved);
  $('calc-saved').textContent = money(result.moneySaved);
  $('calc-spent').textContent = money(result.moneySpent);
  $('calc-tts').textContent = money(result.byType.tts ? result.byType.tts.money : 0);
  $('calc-image').textContent = money(result.byType.image ? result.byType.image.money : 0);
  $('calc-projection').textContent = money(result.projection.moneySaved) + ' and ' + Math.round(result.projection.callsAvoided).toLocaleString('en-US') + ' calls (' + num(result.projection.secondsSaved) + ' s) for ' + num(videos) + ' videos';
}
let DATA;
async function load() {
  const response = await fetch('/api/dashboard' + location.search, { cache: 'no-store' });
  if (!response.ok) throw new Error('GET /api/dashboard: ' + response.status);
  DATA = await response.json();
  const all = DATA.allTime;
  $('where').textContent = DATA.profile + ' profile · ' + (DATA.cacheDir || 'in memory') + ' · ' + new Date(DATA.generatedAt).toLocaleString();
  $('hit-rate').textContent = pct(all.hitRate);
  $('requests').textContent = num(all.requests);
  $('calls-avoided').textContent = num(all.hits);
  $('time-saved').textContent = num(DATA.savings.secondsSaved) + ' s';
  $('entries').textContent = num(all.entries) + ' · ' + bytes(all.bytes);
  for (const [type, t] of Object.entries(all.byType)) row('types', [type, num(t.entries), num(t.uses), num(t.hits), pct(t.hitRate), bytes(t.bytes)]);
  for (const tier of DATA.tiers) row('tiers', [tier.name, num(tier.entries), bytes(tier.bytes), num(tier.runHits)]);
  chart(DATA.runs);
  for (const run of [...DATA.runs].reverse()) {
    const l = run.latencyMs;
    row('runs', ['#' + (DATA.runs.indexOf(run) + 1) + ' ' + when(run.at), run.channel || run.command, num(run.requests), num(run.exact) + ' / ' + num(run.canonical) + ' / ' + num(run.similar) + ' / ' + num(run.generated), pct(run.hitRate),
      ms(l.exact.p50) + ' / ' + ms(l.exact.p95), ms(l.canonical.p50) + ' / ' + ms(l.canonical.p95), ms(l.similar.p50) + ' / ' + ms(l.similar.p95), ms(l.generated.p50) + ' / ' + ms(l.generated.p95),
      num(run.saved.generations) + ' · ' + num(run.saved.generationMs / 1000) + ' s', run.hostedEquivalent === null ? '–' : money(run.hostedEquivalent)]);
  }
  options($('tts-choice'), DATA.pricing.tts, DATA.calculator.ttsEngine, perMillion);
  options($('image-choice'), DATA.pricing.image, DATA.calculator.imageModel, perMp);
  $('videos').value = DATA.calculator.videos;
  $('per-video').textContent = num(DATA.calculator.requestsPerVideo);
  for (const id of ['tts-choice', 'image-choice', 'tts-custom', 'image-custom', 'videos']) $(id).addEventListener('input', recompute);
  recompute();
  document.body.dataset.state = 'ready';
}
load().catch((error) => { $('status').textContent = String(error.message || error); document.body.dataset.state = 'error'; });
`;

const BODY = `
<header><h1>tiercache dashboard</h1><span class="where" id="where">loading…</span><span id="status"></span></header>
<main>
<section class="wide"><h2>All time</h2><div class="cards">
  <div class="card"><div class="value" id="hit-rate">–</div><div class="label">hit rate (uses served from the cache)</div></div>
  <div class="card"><div class="value" id="requests">–</div><div class="label">requests</div></div>
  <div class="card"><div class="value" id="calls-avoided">–</div><div class="label">generation calls avoided</div></div>
  <div class="card"><div class="value" id="time-saved">–</div><div class="label">generation time saved</div></div>
  <div class="card"><div class="value" id="money-saved">–</div><div class="label">money saved at the prices below</div></div>
  <div class="card"><div class="value" id="entries">–</div><div class="label">entries stored</div></div>
</div></section>
<section><h2>By type</h2><table id="types"><thead><tr><th>type</th><th>entries</th><th>uses</th><th>hits</th><th>hit rate</th><th>bytes</th></tr></thead><tbody></tbody></table></section>
<section><h2>Tiers</h2><table id="tiers"><thead><tr><th>tier</th><th>entries</th><th>bytes</th><th>hits in logged runs</th></tr></thead><tbody></tbody></table>
<p class="note">The memory tier belongs to each running process: its holdings are not shown.</p></section>
<section class="wide"><h2>Hit rate per run</h2><svg id="runs-chart" role="img" aria-label="hit rate per run" width="100%" height="160"></svg>
<div class="scroll"><table id="runs"><thead><tr><th>run, ended</th><th>channel</th><th>requests</th><th>exact / canonical / similar / gen.</th><th>hit rate</th>
<th>exact ms</th><th>canonical ms</th><th>similar ms</th><th>generated ms</th><th>calls · time saved</th><th>hosted equiv.</th></tr></thead><tbody></tbody></table></div>
<p class="note">Latency per source as p50 / p95 in ms: exact, canonical and similar hits from lookup to the delivered file, generated from the miss to the stored entry. Hosted equiv.: the run's hits at OpenAI tts-1 and FLUX.1 schnell list prices.</p></section>
<section class="wide"><h2>Savings calculator</h2>
<form onsubmit="return false">
  <label for="tts-choice">TTS engine</label><span><select id="tts-choice"></select> <input id="tts-custom" type="number" min="0" step="any" placeholder="$ per 1M characters" hidden></span>
  <label for="image-choice">Image model</label><span><select id="image-choice"></select> <input id="image-custom" type="number" min="0" step="any" placeholder="$ per megapixel" hidden></span>
  <label for="videos">Project for</label><span><input id="videos" type="number" min="0" step="1"> videos of <span id="per-video">–</span> requests each</span>
</form>
<table id="savings"><tbody>
  <tr><td>all-time money saved</td><td id="calc-saved">–</td></tr>
  <tr><td>of which speech</td><td id="calc-tts">–</td></tr>
  <tr><td>of which images</td><td id="calc-image">–</td></tr>
  <tr><td>what the stored entries cost to generate</td><td id="calc-spent">–</td></tr>
  <tr><td>projection at the all-time hit rate</td><td id="calc-projection">–</td></tr>
</tbody></table>
<p class="note">Illustrative list prices from @tiercache/media (USD), applied to the texts and image sizes actually stored. Not quotes.</p>
</section>
</main>`;

/** The whole dashboard as one document: no external assets, so it works on a closed network. */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tiercache dashboard</title><style>${STYLE}</style></head>
<body data-state="loading">${BODY}
<script>
${computeSavings.toString()}
${SCRIPT}</script>
</body></html>
`;
}
