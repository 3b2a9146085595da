/** Atom 1.0 and 0.3: feed metadata and entries. */
import { parseFeedDate } from './dates.ts';
import { atomText, firstOf, firstSummary, rssText } from './feed-text.ts';
import { ATOM_NS, DC_NS, FEEDBURNER_NS, MEDIA_NS } from './namespaces.ts';
import type { FeedItem, ParsedFeed } from './schema.ts';
import { documentBase, resolveLink } from './urls.ts';
import { attrOf, childOf, childrenOf, descendantsOf, isEmptyElement, textOf, type XmlElement } from './xml-tree.ts';

// Links that never point at the article or the site itself.
const NOT_ALTERNATE = new Set(['self', 'edit', 'edit-media', 'replies', 'enclosure', 'hub', 'license', 'next', 'previous', 'prev', 'first', 'last', 'current', 'payment', 'via']);

/** The link to the page: rel="alternate" (the default), HTML first; else the first that is not plumbing. */
export function pickAtomLink(links: XmlElement[]): XmlElement | null {
  const withHref = links.filter((l) => (attrOf(l, 'href') ?? '').trim() !== '');
  const rel = (l: XmlElement) => (attrOf(l, 'rel') ?? 'alternate').trim().toLowerCase();
  const alternates = withHref.filter((l) => rel(l) === 'alternate');
  const html = alternates.find((l) => /html/i.test(attrOf(l, 'type') ?? 'text/html'));
  return html ?? alternates[0] ?? withHref.find((l) => !NOT_ALTERNATE.has(rel(l))) ?? null;
}

/** rel="self" names the document's own URL: the base for relative links when the fetch URL is unknown (a file). */
export function selfLink(links: XmlElement[]): string | null {
  for (const l of links) {
    if ((attrOf(l, 'rel') ?? '').trim().toLowerCase() !== 'self') continue;
    const href = attrOf(l, 'href')?.trim() ?? '';
    if (/^https?:\/\//i.test(href)) return href;
  }
  return null;
}

const dateOf = (el: XmlElement | null): string | null => (el ? parseFeedDate(textOf(el)) : null);

/**
 * @example const feed = readAtom(root, 'https://example.com/atom.xml');
 */
export function readAtom(root: XmlElement, fetchUrl: string | null): ParsedFeed {
  const atom = new Set([...ATOM_NS, root.ns]);
  fetchUrl ??= selfLink(childrenOf(root, 'link', atom));
  const linkEl = pickAtomLink(childrenOf(root, 'link', atom));
  const link = linkEl ? resolveLink(attrOf(linkEl, 'href'), linkEl.base, fetchUrl) : null;
  const base = documentBase({ fetchUrl, feedLink: link });
  const items = descendantsOf(root, 'entry', atom)
    .filter((entry) => !isEmptyElement(entry))
    .map((entry) => readEntry(entry, atom, base));
  return { title: atomText(childOf(root, 'title', atom)), link, format: 'atom', items };
}

function readEntry(entry: XmlElement, atom: ReadonlySet<string>, base: string | null): FeedItem {
  const origLink = childOf(entry, 'origLink', FEEDBURNER_NS);
  const linkEl = pickAtomLink(childrenOf(entry, 'link', atom));
  const link = firstOf<string>([
    () => (origLink ? resolveLink(textOf(origLink), origLink.base, base) : null),
    () => (linkEl ? resolveLink(attrOf(linkEl, 'href'), linkEl.base, base) : null),
  ]);
  const publishedAt = firstOf<string>([
    () => dateOf(childOf(entry, 'published', atom)),
    () => dateOf(childOf(entry, 'updated', atom)),
    // Atom 0.3
    () => dateOf(childOf(entry, 'issued', atom)),
    () => dateOf(childOf(entry, 'created', atom)),
    () => dateOf(childOf(entry, 'modified', atom)),
    () => dateOf(childOf(entry, 'date', DC_NS)),
  ]);
  const summary = firstSummary([
    () => atomText(childOf(entry, 'summary', atom)),
    () => atomText(childOf(entry, 'content', atom)),
    () => rssText(childOf(entry, 'description', MEDIA_NS)),
    // YouTube and podcasts keep it in <media:group>.
    () => {
      const group = childOf(entry, 'group', MEDIA_NS);
      return group ? rssText(childOf(group, 'description', MEDIA_NS)) : '';
    },
  ]);
  const id = childOf(entry, 'id', atom);
  return {
    title: atomText(childOf(entry, 'title', atom)),
    link,
    publishedAt,
    summary,
    guid: id ? textOf(id).trim() || null : null,
  };
}
