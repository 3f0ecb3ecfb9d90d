import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `tooling/release-checks/src/workspace.ts`). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  engines?: Record<string, string>;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: string | { url?: string };
  keywords?: string[];
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** Folder, absolute. */
  dir: string;
  /** Folder relative to the root, with `/` (`packages/core`). */
  path: string;
  manifest: Manifest;
}

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * Every workspace package, found from the globs of `pnpm-workspace.yaml` (`dir/*` or `dir`), so a
 * package added later (say `packages/postgres`) is checked without editing any test.
 */
export function workspacePackages(): WorkspacePackage[] {
  const yaml = readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) inPackages = line.startsWith('packages:');
    const item = inPackages ? /^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/.exec(line) : null;
    if (item?.[1]) globs.push(item[1]);
  }
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(ROOT, glob)];
    const parent = join(ROOT, glob.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name));
  });
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      path: relative(ROOT, dir).split('\\').join('/'),
      manifest: readJson<Manifest>(join(dir, 'package.json')),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The packages that go to the registry: every workspace package not marked `private`. */
export const publishedPackages = (): WorkspacePackage[] =>
  workspacePackages().filter((pkg) => pkg.manifest.private !== true);
