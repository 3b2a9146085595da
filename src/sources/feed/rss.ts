/** RSS 0.9x/2.0 (`<rss>`) and RSS 0.90/1.0 (`<rdf:RDF>`): channel metadata and items. */
import { parseFeedDate } from './dates.ts';
import { atomText, firstOf, firstSummary, rssText } from './feed-text.ts';
import { pickAtomLink, selfLink } from './atom.ts';
import { ATOM_NS, CONTENT_NS, DC_NS, DCTERMS_NS, FEEDBURNER_NS, ITUNES_NS, MEDIA_NS, RSS_NS } from './namespaces.ts';
import type { FeedItem, ParsedFeed } from './schema.ts';
import { documentBase, resolveLink } from './urls.ts';
import { attrOf, childOf, childrenOf, descendantsOf, isEmptyElement, textOf, type XmlElement } from './xml-tree.ts';

const nonEmptyText = (el: XmlElement | null): string | null => {
  const t = el ? textOf(el).trim() : '';
  return t === '' ? null : t;
};

/**
 * @example const feed = readRss(root, 'rss', 'https://example.com/feed.xml');
 */
export function readRss(root: XmlElement, format: 'rss' | 'rdf', fetchUrl: string | null): ParsedFeed {
  // A default namespace on <rss> (e.g. Userland's) applies to everything inside.
  const rss = format === 'rss' ? new Set([...RSS_NS, root.ns]) : RSS_NS;
  const channel = childOf(root, 'channel', rss) ?? descendantsOf(root, 'channel', rss)[0] ?? root;
  fetchUrl ??= selfLink(childrenOf(channel, 'link', ATOM_NS));

  const linkEl = childrenOf(channel, 'link', rss).find((l) => nonEmptyText(l) !== null) ?? null;
  const atomLinkEl = pickAtomLink(childrenOf(channel, 'link', ATOM_NS));
  const rawLink = linkEl ? nonEmptyText(linkEl) : atomLinkEl ? attrOf(atomLinkEl, 'href') : null;
  const link = resolveLink(rawLink, (linkEl ?? atomLinkEl)?.base ?? null, fetchUrl);
  const base = documentBase({ fetchUrl, feedLink: link });

  // Items anywhere below the root, so a feed that nests them wrongly (or outside <channel>)
  // keeps them; empty ones (a stray `<item/>` inside an item) are noise.
  const items = descendantsOf(root, 'item', rss)
    .filter((item) => !isEmptyElement(item))
    .map((item) => readItem(item, rss, format, base));

  return {
    title: rssText(childOf(channel, 'title', rss)) || rssText(childOf(channel, 'title', DC_NS)),
    link,
    format,
    items,
  };
}

function readItem(item: XmlElement, rss: ReadonlySet<string>, format: 'rss' | 'rdf', base: string | null): FeedItem {
  const guidEl = childOf(item, 'guid', rss);
  const guid = nonEmptyText(guidEl);
  const about = format === 'rdf' ? attrOf(item, 'about') : null;

  const link = firstOf<string>([
    // Feedburner's redirector hides the article's own URL here.
    () => resolveLink(nonEmptyText(childOf(item, 'origLink', FEEDBURNER_NS)), item.base, base),
    () => {
      const el = childrenOf(item, 'link', rss).find((l) => nonEmptyText(l) !== null || attrOf(l, 'href'));
      return el ? resolveLink(nonEmptyText(el) ?? attrOf(el, 'href'), el.base, base) : null;
    },
    () => {
      const el = pickAtomLink(childrenOf(item, 'link', ATOM_NS));
      return el ? resolveLink(attrOf(el, 'href'), el.base, base) : null;
    },
    () => {
      const permalink = guidEl && attrOf(guidEl, 'isPermaLink')?.trim().toLowerCase() !== 'false';
      return permalink && guid && /^https?:\/\//i.test(guid) ? resolveLink(guid, guidEl.base, base) : null;
    },
    () => (about && /^https?:\/\//i.test(about.trim()) ? resolveLink(about, item.base, base) : null),
  ]);

  const publishedAt = firstOf<string>([
    () => parseFeedDate(nonEmptyText(childOf(item, 'pubDate', rss))),
    () => parseFeedDate(nonEmptyText(childOf(item, 'date', DC_NS))),
    () => parseFeedDate(nonEmptyText(childOf(item, 'issued', DCTERMS_NS))),
    () => parseFeedDate(nonEmptyText(childOf(item, 'created', DCTERMS_NS))),
    () => parseFeedDate(nonEmptyText(childOf(item, 'modified', DCTERMS_NS))),
    () => parseFeedDate(nonEmptyText(childOf(item, 'published', ATOM_NS))),
    () => parseFeedDate(nonEmptyText(childOf(item, 'updated', ATOM_NS))),
  ]);

  const summary = firstSummary([
    () => rssText(childOf(item, 'description', rss)),
    () => rssText(childOf(item, 'encoded', CONTENT_NS)),
    () => rssText(childOf(item, 'description', MEDIA_NS)),
    () => rssText(childOf(item, 'summary', ITUNES_NS)),
    () => atomText(childOf(item, 'summary', ATOM_NS)),
    () => atomText(childOf(item, 'content', ATOM_NS)),
  ]);

  return {
    title: rssText(childOf(item, 'title', rss)) || rssText(childOf(item, 'title', DC_NS)) || atomText(childOf(item, 'title', ATOM_NS)),
    link,
    publishedAt,
    summary,
    guid: guid ?? (about?.trim() || null),
  };
}
