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

const BODY = `
<header><h1>tiercache dashboard</h1><span class="where" id="where">loading…</span><span id="status"></span></header>
<main>
<section class="wide"><h2>All time</h2><div class="cards" id="cards"></div></section>
<section><h2>By type</h2><table id="types"><thead><tr><th>type</th><th>entries</th><th>uses</th><th>hits</th><th>hit rate</th><th>bytes</th></tr></thead><tbody></tbody></table></section>
<section><h2>Tiers</h2><table id="tiers"><thead><tr><th>tier</th><th>entries</th><th>bytes</th><th>hits in logged runs</th></tr></thead><tbody></tbody></table>
<p class="note">The memory tier belongs to each running process: its holdings are not shown.</p></section>
<section class="wide"><h2>Hit rate per run</h2><svg id="runs-chart" role="img" aria-label="hit rate per run" width="100%" height="160"></svg>
<div class="scroll"><table id="runs"><thead><tr><th>run, ended</th><th>channel</th><th>requests</th><th>exact / canonical / similar / gen.</th><th>hit rate</th>
<th>exact ms</th><th>canonical ms</th><th>similar ms</th><th>generated ms</th><th>calls · time saved</th><th>hosted equiv.</th></tr></thead><tbody></tbody></table></div>
<p class="note">Latency per source as p50 / p95 in ms: exact, canonical and similar hits from lookup to the delivered file, generated from the miss to the stored entry. Hosted equiv.: the run's hits at OpenAI tts-1 and FLUX.1 schnell list prices.</p></section>
<section class="wide"><h2>Savings calculator</h2>
<form id="calculator">
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

/** Where the page loads its script from (see `dashboard-assets.ts`). */
export const PAGE_SCRIPT = '/client/dashboard-page-script.js';

/**
 * The dashboard document. Its script is the typed module `dashboard-client/` compiled by tsc,
 * served by the dashboard itself: no external assets, so it works on a closed network.
 */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tiercache dashboard</title><style>${STYLE}</style></head>
<body data-state="loading">${BODY}
<script type="module" src="${PAGE_SCRIPT}"></script>
</body></html>
`;
}
