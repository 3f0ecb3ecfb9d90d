import type { RunRecord } from '../metrics-log.js';
import { pct } from './format.js';

function svg(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The hit rate of each logged run as a bar, warm runs lighter. */
export function drawRunsChart(box: SVGSVGElement, runs: readonly RunRecord[]): void {
  // Drawn at the element's real width, so labels keep their shape; bars are capped at 40 px.
  const width = Math.max(box.clientWidth || 640, 200);
  const height = 160;
  const left = 40;
  const bottom = 18;
  const top = 16;
  box.setAttribute('viewBox', `0 0 ${width} ${height}`);
  for (const level of [0, 0.5, 1]) {
    const y = top + (1 - level) * (height - top - bottom);
    box.append(svg('line', { x1: left, x2: width, y1: y, y2: y, stroke: '#e4e7ec' }));
    box.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, `${level * 100}%`));
  }
  const slot = Math.min((width - left) / Math.max(runs.length, 1), 56);
  const bar = Math.min(slot * 0.7, 40);
  runs.forEach((run, i) => {
    const h = run.hitRate * (height - top - bottom);
    const x = left + i * slot + (slot - bar) / 2;
    const rect = svg('rect', {
      x,
      y: height - bottom - h,
      width: bar,
      height: Math.max(h, 1),
      rx: 2,
      fill: run.command === 'warm' ? '#9bb8ee' : '#2e6fdb',
      class: 'run-bar',
    });
    rect.append(svg('title', {}, `${new Date(run.at).toLocaleString()}: ${pct(run.hitRate)}`));
    box.append(rect);
    if (slot >= 40) {
      box.append(
        svg(
          'text',
          { x: x + bar / 2, y: height - bottom - h - 3, 'text-anchor': 'middle' },
          pct(run.hitRate),
        ),
      );
      box.append(svg('text', { x: x + bar / 2, y: height - 4, 'text-anchor': 'middle' }, `#${i + 1}`));
    }
  });
  if (runs.length === 0)
    box.append(
      svg(
        'text',
        { x: width / 2, y: height / 2, 'text-anchor': 'middle' },
        'no runs logged yet: run generate',
      ),
    );
}
