import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a remote API that answers every request 401 and echoes the Authorization header
 * it received, as some real APIs do in their error messages. Listens on 127.0.0.1.
 */
export async function startEchoingApi(): Promise<{
  baseUrl: string;
  requests: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      const echoed = req.headers.authorization ?? '(none)';
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Invalid API key provided: ${echoed}`, echoed } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Every file under `dir` whose bytes contain any of `secrets`, as paths. */
export async function filesContaining(dir: string, secrets: readonly string[]): Promise<string[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const found: string[] = [];
  for (const item of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!item.isFile()) continue;
    const path = join(item.parentPath, item.name);
    const bytes = await readFile(path);
    if (secrets.some((secret) => bytes.includes(secret))) found.push(path);
  }
  return found;
}
