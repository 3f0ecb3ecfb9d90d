import { readFile } from 'node:fs/promises';

// The page's script modules, compiled by tsc (`tsconfig.client.json`) into the app's `dist/`.
// Resolved from `dist/` whether this file runs from `dist/` or, in tests, from `src/`.
const DIST = new URL('../dist/', import.meta.url);

/** The URL paths the page's modules are requested at, and their files in `dist/`. */
function assetFile(path: string): URL | undefined {
  const client = /^\/client\/([a-z-]+\.js)$/.exec(path);
  if (client?.[1]) return new URL(`dashboard-client/${client[1]}`, DIST);
  // The calculator module the page shares with `cache savings`, imported as `../savings-calculator.js`.
  if (path === '/savings-calculator.js') return new URL('savings-calculator.js', DIST);
  return undefined;
}

/**
 * The JavaScript of a page module, `undefined` for any other path. Served without the access
 * token: it is the app's code, the same for everyone, and holds no data.
 */
export async function dashboardAsset(path: string): Promise<string | undefined> {
  const file = assetFile(path);
  if (!file) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
