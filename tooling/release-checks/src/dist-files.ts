import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir`, as absolute paths (an absent folder has none). */
export function filesUnder(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The package names a declaration file imports (`from 'x'`, `import('x')`, `/// <reference types>`). */
export function importedPackages(declarations: string): string[] {
  const specifiers = [
    ...declarations.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g),
    ...declarations.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...declarations.matchAll(/\/\/\/\s*<reference\s+types=['"]([^'"]+)['"]/g),
  ].map((match) => match[1] ?? '');
  const names = specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  return [...new Set(names)].sort();
}
