import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { blockFileName, type ReadmeBlock } from './readme-blocks.js';
import { pnpm, run } from './run.js';
import { type Manifest, ROOT, readJson, type WorkspacePackage } from './workspace.js';

/** The version of a package installed at the workspace root (typescript, @types/node...). */
const rootVersion = (name: string): string =>
  readJson<Manifest>(join(ROOT, 'node_modules', name, 'package.json')).version;

/**
 * Packs every published package as `pnpm publish` would (workspace ranges rewritten, the
 * `.pnpmfile.cjs` packing hook applied), without the `prepack` build: `npm test` has built.
 */
export async function packAll(packages: readonly WorkspacePackage[], destination: string): Promise<string[]> {
  mkdirSync(destination, { recursive: true });
  const filters = packages.flatMap((pkg) => ['--filter', pkg.manifest.name]);
  await pnpm(
    ['--config.ignore-scripts=true', ...filters, '-r', 'pack', '--pack-destination', destination],
    ROOT,
  );
  return readdirSync(destination)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(destination, file));
}

/**
 * better-sqlite3 is a native addon. Its installer first looks for a prebuilt binary, and only
 * then compiles (minutes on a small machine). The workspace has already built the same version
 * for this Node: offered as a local prebuild under the name prebuild-install looks for, so the
 * consumer's install takes the ordinary prebuilt-binary path instead of recompiling.
 */
export function offerWorkspaceBetterSqlite3(into: string): { env: NodeJS.ProcessEnv; version: string } {
  const installed = join(ROOT, 'packages', 'sqlite', 'node_modules', 'better-sqlite3');
  const { version } = readJson<Manifest>(join(installed, 'package.json'));
  const binary = join(installed, 'build', 'Release', 'better_sqlite3.node');
  const env: NodeJS.ProcessEnv = {};
  if (existsSync(binary)) {
    mkdirSync(into, { recursive: true });
    const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    execFileSync('tar', ['-czf', join(into, name), '-C', installed, 'build/Release/better_sqlite3.node']);
    env.npm_config_better_sqlite3_local_prebuilds = into;
  }
  return { env, version };
}

/** An empty npm project that installs the tarballs (third-party dependencies from the registry). */
export async function installConsumer(
  dir: string,
  tarballs: readonly string[],
  prebuilds: string,
): Promise<void> {
  const betterSqlite3 = offerWorkspaceBetterSqlite3(prebuilds);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'tiercache-consumer',
        private: true,
        type: 'module',
        // The version the workspace tests against (and the prebuild offered above).
        overrides: { 'better-sqlite3': betterSqlite3.version },
      },
      null,
      2,
    )}\n`,
  );
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      ...tarballs,
      `typescript@${rootVersion('typescript')}`,
      `@types/node@${rootVersion('@types/node')}`,
    ],
    { cwd: dir, env: { ...betterSqlite3.env, npm_config_update_notifier: 'false' }, timeoutMs: 900_000 },
  );
}

export type Resolution = 'node16' | 'bundler';

/** A strict consumer's tsconfig; `node16` emits the JavaScript the README blocks run from. */
export function writeTsconfig(dir: string, resolution: Resolution): string {
  const file = `tsconfig.${resolution}.json`;
  const module =
    resolution === 'node16'
      ? { module: 'node16', moduleResolution: 'node16' }
      : { module: 'esnext', moduleResolution: 'bundler' };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      ...module,
      strict: true,
      noUncheckedIndexedAccess: true,
      // Every README block is its own module, even one without imports.
      moduleDetection: 'force',
      // Declarations are part of what is checked: no skipping the packages' .d.ts files.
      skipLibCheck: false,
      outDir: 'build',
      ...(resolution === 'bundler' ? { noEmit: true } : {}),
    },
    include: ['consumer.ts', 'blocks/*.ts'],
  };
  writeFileSync(join(dir, file), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return file;
}

/** Imports every public name of every package, so each declaration file is checked. */
export function writeConsumer(dir: string, packages: readonly WorkspacePackage[]): void {
  const lines = packages.map((pkg, index) => `import * as package${index} from '${pkg.manifest.name}';`);
  lines.push(`export const everything = [${packages.map((_pkg, index) => `package${index}`).join(', ')}];`);
  writeFileSync(join(dir, 'consumer.ts'), `${lines.join('\n')}\n`);
}

/** README blocks as files of the consumer project: `blocks/<readme>-<line>.ts|mjs`. */
export function writeBlocks(dir: string, blocks: readonly ReadmeBlock[]): Map<ReadmeBlock, string> {
  const files = new Map<ReadmeBlock, string>();
  for (const block of blocks) {
    const file = join(dir, 'blocks', blockFileName(block));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.code);
    files.set(block, file);
  }
  return files;
}

/** Where `tsc` (node16, `outDir: build`) wrote a block's JavaScript; `.mjs` blocks run as they are. */
export const runnableFile = (dir: string, block: ReadmeBlock, file: string): string =>
  block.lang === 'ts' ? join(dir, 'build', 'blocks', blockFileName(block).replace(/\.ts$/, '.js')) : file;
