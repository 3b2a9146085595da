/**
 * The briefs as an RSS 2.0 feed. Pure: briefs + absolute base URL in, XML string out.
 * `<description>` holds HTML by RSS convention, so the paragraph is HTML-escaped first and the
 * result XML-escaped: a reader shows a hostile headline as text, never as markup.
 */
import type { StoredBrief } from '../store/runs.ts';
import { briefParagraph, escapeHtml } from './html-page.ts';
import { readerNotes } from './reader-notes.ts';

export interface RssOptions {
  /** Channel title; defaults to the newest brief's name. */
  title?: string;
  description?: string;
  /** The byte size of a brief's card PNG, or null when it has none: the item's enclosure. */
  cardSize?: (briefId: number) => number | null;
}

/** Absolute URLs under `baseUrl` (which may carry a path prefix, e.g. https://x.org/brief). */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** RFC 822 date as RSS 2.0 wants it ("Tue, 14 Jan 2025 07:30:00 GMT"). */
export function rfc822(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? new Date(0).toUTCString() : d.toUTCString();
}

/**
 * @example res.end(renderRss(listBriefs(db, 20), 'https://brief.example.org'));
 */
export function renderRss(briefs: readonly StoredBrief[], baseUrl: string, options: RssOptions = {}): string {
  const name = options.title ?? briefs[0]?.brief.name ?? 'Morning Brief';
  const description = options.description ?? `${name}: a short market morning brief, every day.`;
  const archive = joinUrl(baseUrl, 'briefs');
  const newest = briefs[0]?.brief.createdAt;
  const enclosure = (id: number) => {
    const size = options.cardSize?.(id) ?? null;
    return size === null ? '' : `\n      <enclosure url="${escapeHtml(joinUrl(baseUrl, `briefs/${id}/card.png`))}" length="${size}" type="image/png"/>`;
  };
  const items = briefs.map((s) => {
    const b = s.brief;
    const link = joinUrl(baseUrl, `briefs/${s.id}`);
    return `    <item>
      <title>${escapeHtml(b.title)}</title>
      <link>${escapeHtml(link)}</link>
      <guid isPermaLink="true">${escapeHtml(link)}</guid>
      <pubDate>${rfc822(b.createdAt)}</pubDate>${enclosure(s.id)}
      <description>${escapeHtml(escapeHtml([briefParagraph(s), ...readerNotes(b.notes)].join(' ')))}</description>
    </item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeHtml(name)}</title>
    <link>${escapeHtml(archive)}</link>
    <description>${escapeHtml(description)}</description>
    <atom:link href="${escapeHtml(joinUrl(baseUrl, 'feed.xml'))}" rel="self" type="application/rss+xml"/>
${briefs[0] ? `    <language>${escapeHtml(briefs[0].brief.language)}</language>\n` : ''}${newest ? `    <lastBuildDate>${rfc822(newest)}</lastBuildDate>\n` : ''}    <generator>morning-brief</generator>
${items.join('\n')}
  </channel>
</rss>
`;
}
