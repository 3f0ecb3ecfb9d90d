import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { filesUnder } from './dist-files.js';

export interface DeadLink {
  page: string;
  href: string;
  reason: string;
}

/** The HTML file a site path is served from (VitePress `cleanUrls`: `/a/b` is `a/b.html`). */
function htmlFor(site: string, path: string): string | undefined {
  const clean = decodeURIComponent(path)
    .replace(/^\/+/, '')
    .replace(/\.html$/, '');
  const candidates =
    clean === '' || clean.endsWith('/')
      ? [join(site, clean, 'index.html')]
      : [join(site, `${clean}.html`), join(site, clean, 'index.html')];
  return candidates.find((file) => existsSync(file));
}

const ids = (html: string): Set<string> =>
  new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((match) => match[1] ?? ''));

/**
 * Every internal link of a built site (`href="/..."`, `href="./..."` and `#anchors`) that does not
 * lead to a page, or to an element with that id on the page: what a reader would click and not
 * find. External links are not fetched (there is no network in CI).
 */
export function deadLinks(site: string): DeadLink[] {
  const dead: DeadLink[] = [];
  const idsByFile = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let found = idsByFile.get(file);
    if (!found) {
      found = ids(readFileSync(file, 'utf8'));
      idsByFile.set(file, found);
    }
    return found;
  };
  for (const file of filesUnder(site).filter((name) => name.endsWith('.html'))) {
    const page = `/${relative(site, file).split('\\').join('/')}`;
    const html = readFileSync(file, 'utf8');
    for (const [, href = ''] of html.matchAll(/<a\b[^>]*?\bhref="([^"]*)"/g)) {
      if (/^[a-z]+:/i.test(href) || href.startsWith('//') || href.startsWith('/assets/')) continue;
      const [path = '', anchor] = href.split('#');
      const base = page.replace(/[^/]*$/, '');
      const absolute =
        path === '' ? page : path.startsWith('/') ? path : new URL(path, `http://site${base}`).pathname;
      const target = path === '' ? file : htmlFor(site, absolute);
      if (!target) {
        dead.push({ page, href, reason: 'no such page' });
        continue;
      }
      if (anchor && !idsOf(target).has(decodeURIComponent(anchor)))
        dead.push({ page, href, reason: `no #${anchor} on ${relative(site, target)}` });
    }
  }
  return dead;
}
