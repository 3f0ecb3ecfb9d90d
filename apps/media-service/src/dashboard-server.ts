import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dashboardData } from './dashboard-data.js';
import { dashboardPage } from './dashboard-page.js';
import { MediaServiceError } from './errors.js';
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

// The page is self-contained: the policy forbids any other origin, so a stray external asset
// would fail visibly in development rather than silently phone out from a closed network.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
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

async function handle(service: MediaService, request: IncomingMessage, response: ServerResponse) {
  const head = request.method === 'HEAD';
  if (request.method !== 'GET' && !head) {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false);
    return;
  }
  const path = new URL(request.url ?? '/', 'http://dashboard').pathname;
  if (path === '/' || path === '/index.html') {
    send(response, 200, 'text/html; charset=utf-8', dashboardPage(), head);
  } else if (path === '/api/dashboard') {
    const body = JSON.stringify(await dashboardData(service));
    send(response, 200, 'application/json; charset=utf-8', body, head);
  } else {
    send(response, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  }
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** Serves the page and `GET /api/dashboard` (read fresh from the index on every request). */
export async function startDashboard(
  service: MediaService,
  options: { host: string; port: number },
): Promise<DashboardServer> {
  const server = createServer((request, response) => {
    handle(service, request, response).catch((error: unknown) => {
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
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
