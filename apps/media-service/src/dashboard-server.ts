import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrometheusMetrics, type PrometheusMetrics } from '@tiercache/metrics';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { dashboardToken, isAuthorized } from './dashboard-access.js';
import { dashboardAsset } from './dashboard-assets.js';
import { dashboardData } from './dashboard-data.js';
import { dashboardPage } from './dashboard-page.js';
import { MediaServiceError } from './errors.js';
import { checkHealth } from './health-check.js';
import type { MediaService } from './media-service.js';
import { wholeNumberFlag } from './text-values.js';

export const DEFAULT_DASHBOARD_PORT = 4280;

export interface DashboardServer {
  /** `http://<host>:<port>/` with the port actually bound (a real one for port 0). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `--port`: a whole number from 0 (any free port) to 65535, as typed. */
export function parsePort(raw: string): number {
  return wholeNumberFlag('--port', raw, 0, 65535, 'a whole number from 0 (any free port) to 65535');
}

// The page loads only its own modules: the policy forbids any other origin and inline scripts,
// so a stray external asset would fail visibly rather than silently phone out from a closed network.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(response: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
  });
  response.end(head ? undefined : body);
}

/**
 * The Prometheus registry of the server: the cache's metrics (`@tiercache/metrics`) and the
 * process's own (CPU, memory, event loop). A cache that cannot be opened yet (a locked index)
 * is tried again at the next scrape: the dashboard and the process metrics keep being served.
 */
class MetricsEndpoint {
  readonly registry = new Registry();
  #cacheMetrics: PrometheusMetrics | undefined;

  constructor(private readonly service: MediaService) {
    collectDefaultMetrics({ register: this.registry });
    this.#attach();
  }

  #attach(): void {
    if (this.#cacheMetrics) return;
    try {
      const cache = this.service.media.open();
      if (cache) this.#cacheMetrics = createPrometheusMetrics(cache, { registry: this.registry });
    } catch {
      // Reported by /healthz; /metrics serves what it has.
    }
  }

  async text(): Promise<string> {
    this.#attach();
    return this.registry.metrics();
  }

  close(): void {
    this.#cacheMetrics?.close();
  }
}

interface Routes {
  service: MediaService;
  metrics: MetricsEndpoint;
  /** Required on every request when set. */
  token: string | undefined;
}

async function handle(routes: Routes, request: IncomingMessage, response: ServerResponse) {
  const head = request.method === 'HEAD';
  if (request.method !== 'GET' && !head) {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false);
    return;
  }
  const url = new URL(request.url ?? '/', 'http://dashboard');
  const path = url.pathname;
  const asset = await dashboardAsset(path);
  if (asset !== undefined) {
    send(response, 200, 'text/javascript; charset=utf-8', asset, head);
    return;
  }
  if (routes.token !== undefined && !isAuthorized(request, url, routes.token)) {
    response.setHeader('www-authenticate', 'Bearer realm="tiercache dashboard"');
    send(response, 401, 'text/plain; charset=utf-8', 'unauthorized: send the dashboard token\n', head);
    return;
  }
  if (path === '/' || path === '/index.html') {
    send(response, 200, 'text/html; charset=utf-8', dashboardPage(), head);
  } else if (path === '/api/dashboard') {
    const body = JSON.stringify(await dashboardData(routes.service));
    send(response, 200, 'application/json; charset=utf-8', body, head);
  } else if (path === '/metrics') {
    send(response, 200, routes.metrics.registry.contentType, await routes.metrics.text(), head);
  } else if (path === '/healthz') {
    const report = await checkHealth(routes.service);
    const body = `${JSON.stringify(report)}\n`;
    send(response, report.status === 'ok' ? 200 : 503, 'application/json; charset=utf-8', body, head);
  } else {
    send(response, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  }
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * Serves the page, `GET /api/dashboard` (read fresh from the index on every request),
 * `GET /metrics` (Prometheus text format) and `GET /healthz` (200 ok, 503 degraded, JSON).
 * Beyond loopback it needs `token` (see `dashboardToken`), then required on every request.
 */
export async function startDashboard(
  service: MediaService,
  options: { host: string; port: number; token?: string | undefined },
): Promise<DashboardServer> {
  const token = dashboardToken(options.host, options.token);
  const metrics = new MetricsEndpoint(service);
  const server = createServer((request, response) => {
    handle({ service, metrics, token }, request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `${message}\n`, false);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new MediaServiceError(
          'E_LISTEN',
          `dashboard: cannot listen on ${urlHost(options.host)}:${options.port} (${error.code ?? error.message})`,
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(options.host)}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // A browser keeps its connection alive; closing only the listener would wait for it.
        metrics.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
