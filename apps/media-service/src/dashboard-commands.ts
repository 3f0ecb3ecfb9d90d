import { dashboardData } from './dashboard-data.js';
import type { DashboardData, PricingSelection } from './dashboard-model.js';
import { type DashboardServer, startDashboard } from './dashboard-server.js';
import type { MediaService } from './media-service.js';

type Print = (line: string) => void;

const money = (value: number) => `$${value.toFixed(4)}`;
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The `cache savings` report, as printed. */
export function formatSavings(data: DashboardData): string[] {
  const { allTime, figures, savings, calculator } = data;
  const row = (label: string, value: string) => `  ${label.padEnd(14)}${value}`;
  const where = data.cacheDir ?? 'in memory (this process only)';
  const lines = [
    `savings: all time, ${data.cacheEnabled ? where : 'cache disabled'}`,
    row(
      'requests',
      `${number(allTime.requests)}: ${number(allTime.hits)} served from the cache, ${number(allTime.entries)} generated (hit rate ${percent(allTime.hitRate)})`,
    ),
  ];
  for (const [type, f] of Object.entries(figures.byType)) {
    const avoided =
      type === 'tts'
        ? `${number(f.hitCharacters)} characters not synthesized`
        : type === 'video'
          ? `${(f.savedGenerationMs / 1000).toFixed(2)} s of FFmpeg encoding avoided`
          : `${number(f.hitMegapixels, 2)} megapixels not rendered`;
    lines.push(row(type, `${number(f.entries)} entries, ${number(f.hits)} hits, ${avoided}`));
  }
  lines.push(
    row(
      'time saved',
      `${(savings.generationMs / 1000).toFixed(2)} s of generation (${number(savings.generations)} calls avoided)`,
    ),
    row(
      'recorded',
      `${money(savings.generationCost)} saved at the prices recorded when each entry was generated`,
    ),
    row('priced at', `tts ${calculator.ttsEngine}, images ${calculator.imageModel} (list prices)`),
    row(
      'money saved',
      `${money(savings.listPriceSaved)} (tts ${money(savings.byType.tts?.listPriceSaved ?? 0)}, images ${money(savings.byType.image?.listPriceSaved ?? 0)}); the ${number(allTime.entries)} entries cost ${money(savings.listPriceSpent)} to generate`,
    ),
    row(
      'projection',
      `${money(savings.projection.listPriceSaved)} and ${number(savings.projection.generations)} calls saved per ${number(calculator.videos)} videos (${number(calculator.requestsPerVideo, 2)} requests each at ${percent(savings.hitRate)})`,
    ),
  );
  return lines;
}

export async function savingsCommand(
  service: MediaService,
  selection: Partial<PricingSelection>,
  json: boolean,
  print: Print,
): Promise<void> {
  const data = await dashboardData(service, selection);
  if (json) {
    const { allTime, figures, calculator, savings } = data;
    print(JSON.stringify({ cacheDir: data.cacheDir, allTime, figures, calculator, savings }, null, 2));
    return;
  }
  for (const line of formatSavings(data)) print(line);
}

/** Resolves on the first SIGINT or SIGTERM: the dashboard runs until the user stops it. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function dashboardCommand(
  service: MediaService,
  listen: { host: string; port: number; token?: string | undefined },
  print: Print,
): Promise<void> {
  const stopped = stopSignal();
  const server: DashboardServer = await startDashboard(service, listen);
  print(`dashboard: ${server.url} (Ctrl+C stops it)`);
  const signal = await stopped;
  await server.close();
  print(`dashboard: stopped (${signal})`);
}
