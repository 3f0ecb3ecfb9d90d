// Writes one docs page per package README (packages/*, apps/*, benchmarks), so the site shows
// exactly what npm and GitHub show, never a copy that drifts. Links between READMEs become
// links between pages; links to other repository files go to the repository.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = fileURLToPath(new URL('..', import.meta.url));
const root = join(docs, '..');
const out = join(docs, 'packages');
const { repository } = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'));
const repositoryUrl = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** Folders whose README becomes a page, found on disk so new packages appear by themselves. */
function sources() {
  const found = [];
  for (const parent of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      const dir = `${parent}/${entry.name}`;
      if (entry.isDirectory() && existsSync(join(root, dir, 'README.md'))) found.push(dir);
    }
  }
  if (existsSync(join(root, 'benchmarks/README.md'))) found.push('benchmarks');
  return found.sort();
}

/** `packages/core` → `core`; `apps/media-service` → `media-service`. */
const slug = (dir) => posix.basename(dir);

function rewriteLink(target, fromDir, pages) {
  if (/^[a-z]+:/i.test(target) || target.startsWith('#')) return target;
  const [path, anchor] = target.split('#');
  const resolved = posix.normalize(posix.join(fromDir, path));
  const hash = anchor ? `#${anchor}` : '';
  const readmeDir = resolved.replace(/\/?README\.md$/, '') || '.';
  if (pages.has(readmeDir)) return `./${slug(readmeDir)}${hash}`;
  if (readmeDir === '.' || resolved === '') return `/${hash}`;
  const kind = existsSync(join(root, resolved)) && !resolved.includes('.') ? 'tree' : 'blob';
  return `${repositoryUrl}/${kind}/main/${resolved}${hash}`;
}

function page(dir, pages) {
  const markdown = readFileSync(join(root, dir, 'README.md'), 'utf8');
  const lines = markdown.split('\n');
  let fence = '';
  const body = lines.map((line) => {
    const opening = /^(`{3,}|~{3,})/.exec(line);
    if (opening) {
      if (!fence) fence = opening[1];
      else if (line.startsWith(fence)) fence = '';
      return line;
    }
    if (fence) return line;
    return line.replace(/\]\(([^)\s]+)\)/g, (_match, target) => `](${rewriteLink(target, dir, pages)})`);
  });
  const source = `${repositoryUrl}/tree/main/${dir}`;
  return `<!-- Generated from ${dir}/README.md by docs/scripts/generate-pages.mjs: edit the README. -->\n\n${body.join('\n')}\n\n---\n\n[Source: \`${dir}\`](${source})\n`;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const dirs = sources();
const pages = new Set(dirs);
for (const dir of dirs) writeFileSync(join(out, `${slug(dir)}.md`), page(dir, pages));
const list = dirs.map((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  const note = manifest.private ? ' (private, in the repository only)' : '';
  return `- [\`${manifest.name}\`](./${slug(dir)})${note}: ${manifest.description ?? ''}`;
});
writeFileSync(
  join(out, 'index.md'),
  `# Packages\n\nEach page is the package's README, as npm shows it.\n\n${list.join('\n')}\n`,
);
writeFileSync(
  join(docs, '.vitepress', 'pages.json'),
  `${JSON.stringify(
    dirs.map((dir) => ({
      text: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name,
      link: `/packages/${slug(dir)}`,
    })),
    null,
    2,
  )}\n`,
);
console.log(`docs: ${dirs.length} package pages from ${relative(root, dirname(out)) || '.'}`);
