import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * - `pass`: forward everything.
 * - `reset`: destroy the client connection as soon as a request arrives.
 * - `stall`: never answer (until the client gives up or the mode changes).
 * - `error-500`: answer every request with an S3 `InternalError`.
 * - `forbid-writes`: answer PUT/POST/DELETE with an S3 `AccessDenied` 403; forward reads.
 * - `truncate`: forward the answer's headers but only half its body, then cut the connection.
 * - `short`: forward half the body with a Content-Length that matches it (a lying server).
 * - `flip`: forward the whole body with one byte changed (damage in transit).
 * - `slow`: forward everything, each answer held back by `slowMs`.
 * - `forbid-all`: answer every request with an S3 `AccessDenied` 403 (a revoked key).
 */
export type FaultMode =
  | 'pass'
  | 'reset'
  | 'stall'
  | 'error-500'
  | 'forbid-writes'
  | 'forbid-all'
  | 'truncate'
  | 'short'
  | 'flip'
  | 'slow';

export interface FaultProxy {
  endpoint: string;
  mode: FaultMode;
  /** Which requests the fault applies to (others pass); default: all. */
  only: ((method: string, url: string) => boolean) | undefined;
  /** Delay of each answer in `slow` mode, in ms. */
  slowMs: number;
  /**
   * Answer `If-None-Match: *` PUTs of a path already written through this proxy with 412, as
   * AWS S3, R2 and MinIO do (s3rver ignores the header). Only writes that went through this
   * proxy are known: a stand-in for the real thing, enough for tests whose writers all use it.
   */
  honourIfNoneMatch: boolean;
  /** Requests seen by method (`PUT`, `GET`...), whatever their fate. */
  readonly methods: Map<string, number>;
  /** Requests seen, by outcome: `forwarded` or the fault mode applied. */
  readonly counts: Map<string, number>;
  close(): Promise<void>;
}

const XML_ERROR = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>proxy</RequestId></Error>`;

/** An HTTP proxy on 127.0.0.1 in front of `target` that injects the faults above on demand. */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const counts = new Map<string, number>();
  const methods = new Map<string, number>();
  const written = new Set<string>();
  const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);

  function answer(req: IncomingMessage, res: ServerResponse, status: number, code: string): void {
    // Read the request to its end first, so the client sees the answer and not a broken pipe.
    req.resume();
    req.on('end', () => {
      const body = XML_ERROR(code, `injected by the fault proxy`);
      res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  }

  function forward(req: IncomingMessage, res: ServerResponse, mode: FaultMode): void {
    const path = (req.url ?? '').split('?')[0]!;
    const upstream = request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        if (req.method === 'PUT' && (up.statusCode ?? 500) < 300) written.add(path);
        if (req.method === 'DELETE') written.delete(path);
        if (mode === 'slow') {
          setTimeout(() => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          }, proxy.slowMs);
          return;
        }
        const length = Number(up.headers['content-length'] ?? 0);
        const damaging = mode === 'truncate' || mode === 'short' || mode === 'flip';
        if (!damaging || !(length > 1) || req.method !== 'GET') {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (chunk: Buffer) => chunks.push(chunk));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          const half = body.subarray(0, Math.floor(body.length / 2));
          if (mode === 'truncate') {
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.write(half, () => res.socket?.destroy());
          } else if (mode === 'short') {
            res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(half.length) });
            res.end(half);
          } else {
            const flipped = Buffer.from(body);
            flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(flipped);
          }
        });
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  }

  const server = createServer((req, res) => {
    const mode = proxy.mode;
    methods.set(req.method ?? '', (methods.get(req.method ?? '') ?? 0) + 1);
    const path = (req.url ?? '').split('?')[0]!;
    if (
      proxy.honourIfNoneMatch &&
      req.method === 'PUT' &&
      req.headers['if-none-match'] === '*' &&
      written.has(path)
    ) {
      count('precondition-failed');
      return answer(req, res, 412, 'PreconditionFailed');
    }
    const isWrite = req.method === 'PUT' || req.method === 'POST' || req.method === 'DELETE';
    const applies =
      mode !== 'pass' &&
      (mode !== 'forbid-writes' || isWrite) &&
      (proxy.only?.(req.method ?? '', req.url ?? '') ?? true);
    const effective: FaultMode = applies ? mode : 'pass';
    count(effective === 'pass' ? 'forwarded' : effective);
    switch (effective) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'stall':
        req.resume();
        return;
      case 'error-500':
        return answer(req, res, 500, 'InternalError');
      case 'forbid-writes':
      case 'forbid-all':
        return answer(req, res, 403, 'AccessDenied');
      default:
        return forward(req, res, effective);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: FaultProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    mode: 'pass',
    only: undefined,
    slowMs: 150,
    honourIfNoneMatch: false,
    counts,
    methods,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
