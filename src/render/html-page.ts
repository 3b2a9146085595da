/**
 * Server-rendered archive and brief pages. Pure: StoredBrief in, HTML string out. Every
 * string from a brief (headlines come from outside feeds) is escaped; only http(s) URLs
 * become links. Links are relative so the pages also work behind a path-prefixing proxy.
 */
import type { StoredBrief } from '../store/runs.ts';
import { stripControls } from '../util/clean-text.ts';
import type { CardData } from '../card/data.ts';
import { renderMarketTiles } from './market-html.ts';
import { PAGE_CSS } from './page-style.ts';
import { readerNotes } from './reader-notes.ts';

// XML 1.0 forbids these code points; browsers tolerate them but feeds do not, so both drop them.
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML or XML element content and quoted attribute values.
 * @example escapeHtml('<b>"x"</b>') // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return stripControls(text).replace(FORBIDDEN_CHARS, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The URL if it is an absolute http(s) URL, else null (no javascript:, data:, relative...). */
export function safeHttpUrl(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The brief's one paragraph: its items' sentences in order. */
export function briefParagraph(stored: StoredBrief): string {
  return stored.brief.items.map((i) => i.text.trim()).join(' ');
}

/** A valid BCP 47-ish tag for `lang`, or "en" (a stored language is outside data too). */
function langTag(language: string): string {
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language) ? language : 'en';
}

/** "2025-01-14 07:30 UTC": unambiguous for readers anywhere, and deterministic. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// The stylesheet and the market tiles live beside this file (page-style.ts, market-html.ts).
const CSS = PAGE_CSS;

function layout(opts: { lang: string; title: string; body: string; feedHref: string; className?: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(langTag(opts.lang))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(opts.title)}</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="${escapeHtml(opts.feedHref)}">
<style>${CSS}</style>
</head>
<body${opts.className ? ` class="${escapeHtml(opts.className)}"` : ''}>
<main>
${opts.body}
</main>
</body>
</html>
`;
}

export interface ArchivePageInfo {
  /** 1-based page number. */
  page: number;
  totalPages: number;
  /** The site's name, e.g. the brief name. */
  title?: string;
  /** The brief's card thumbnail URL (relative to /briefs), or null when it has none. */
  thumbnail?: (stored: StoredBrief) => string | null;
}

/** What a brief page shows besides the brief: its market card and the figures behind it. */
export interface BriefPageExtras {
  /** The card's URL relative to the page (e.g. "7/card.png"). */
  cardSrc?: string | null;
  market?: CardData | null;
}

/** The card's alt text: the market line says in words what the picture shows. */
const cardAlt = (b: StoredBrief['brief']) => `Market card: ${b.marketLine || b.title}`;

function cardFigure(src: string, b: StoredBrief['brief'], eager: boolean): string {
  return `<img src="${escapeHtml(src)}" width="1200" height="675" alt="${escapeHtml(cardAlt(b))}"${eager ? '' : ' loading="lazy"'} decoding="async">`;
}

/**
 * The archive: newest first as given, with previous/next links. Rendered at `/briefs`.
 * @example res.end(renderArchivePage(listBriefs(db, 20, 0), { page: 1, totalPages: 3 }));
 */
export function renderArchivePage(briefs: readonly StoredBrief[], info: ArchivePageInfo): string {
  const siteTitle = info.title ?? briefs[0]?.brief.name ?? 'Morning Brief';
  const items = briefs
    .map((s) => {
      const b = s.brief;
      const thumb = info.thumbnail?.(s) ?? null;
      return `<li lang="${escapeHtml(langTag(b.language))}" class="${b.direction}">
${thumb ? `<a class="thumb" href="briefs/${s.id}" tabindex="-1" aria-hidden="true">${cardFigure(thumb, b, false)}</a>\n` : ''}<div class="text">
<a class="title" href="briefs/${s.id}">${escapeHtml(b.title)}</a>
<div class="meta"><time datetime="${escapeHtml(b.dataAsOf)}">${escapeHtml(formatUtc(b.dataAsOf))}</time> · ${escapeHtml(b.writer)} writer</div>
${b.marketLine ? `<p class="market">${escapeHtml(b.marketLine)}</p>` : ''}
</div>
</li>`;
    })
    .join('\n');
  const pager: string[] = [];
  if (info.page > 1) pager.push(`<a href="?page=${info.page - 1}" rel="prev">← Newer</a>`);
  if (info.page < info.totalPages) pager.push(`<a href="?page=${info.page + 1}" rel="next">Older →</a>`);
  const body = `<h1>${escapeHtml(siteTitle)}: archive</h1>
<nav><a href="briefs/latest.json">Latest as JSON</a><a href="feed.xml">RSS feed</a></nav>
${briefs.length > 0 ? `<ol class="archive">\n${items}\n</ol>` : '<p class="empty">No briefs yet.</p>'}
<nav class="pager">${pager.join('')}<span class="meta">Page ${info.page} of ${Math.max(1, info.totalPages)}</span></nav>`;
  return layout({ lang: 'en', title: `${siteTitle}: archive${info.page > 1 ? ` (page ${info.page})` : ''}`, body, feedHref: 'feed.xml' });
}

/**
 * One brief as a readable page. Rendered at `/briefs/:id`.
 * @example res.end(renderBriefPage(getBrief(db, 7)!));
 */
export function renderBriefPage(stored: StoredBrief, extras: BriefPageExtras = {}): string {
  const b = stored.brief;
  const notes =
    readerNotes(b.notes).length > 0
      ? `<h2>Missing today</h2>\n<ul class="notes">${readerNotes(b.notes).map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`
      : '';
  const sources =
    b.sources.length > 0
      ? `<h2>Sources</h2>\n<ol class="sources">${b.sources
          .map((s) => {
            const href = safeHttpUrl(s.url);
            const title = escapeHtml(s.title || s.url);
            const link = href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${title}</a>` : title;
            return `<li>${link}${s.name ? ` <span class="meta">(${escapeHtml(s.name)})</span>` : ''}</li>`;
          })
          .join('')}</ol>`
      : '';
  // The writer's reason is operator detail (`show`, `history`), not for the public page.
  const writer = `Written by the ${escapeHtml(b.writer)} writer.`;
  const body = `<nav><a href="../briefs">← All briefs</a><a href="../feed.xml">RSS feed</a></nav>
<article>
<h1>${escapeHtml(b.title)}</h1>
<div class="meta">Data as of <time datetime="${escapeHtml(b.dataAsOf)}">${escapeHtml(formatUtc(b.dataAsOf))}</time> · brief #${stored.id}</div>
${extras.cardSrc ? `<figure class="card">${cardFigure(extras.cardSrc, b, true)}</figure>` : ''}
${b.marketLine && !extras.cardSrc ? `<p class="market">${escapeHtml(b.marketLine)}</p>` : ''}
<p class="paragraph">${escapeHtml(briefParagraph(stored))}</p>
${extras.market ? `<h2>Markets</h2>\n${renderMarketTiles(extras.market)}` : ''}
${notes}
${sources}
<p class="closing">${escapeHtml(b.closing)}</p>
<p class="writer">${writer}</p>
</article>`;
  return layout({ lang: b.language, title: b.title, body, feedHref: '../feed.xml', className: b.direction });
}

/**
 * A small error page in the same style (404 for a missing brief, 400 for a bad id...).
 * `root` is the relative way back to the site root from the requested path ("" or "../").
 * @example res.end(renderErrorPage(404, 'No brief #99.', '../'));
 */
export function renderErrorPage(status: number, message: string, root = ''): string {
  const body = `<h1>${status}</h1>\n<p>${escapeHtml(message)}</p>\n<nav><a href="${escapeHtml(root)}briefs">All briefs</a></nav>`;
  return layout({ lang: 'en', title: `${status}: ${message}`, body, feedHref: `${root}feed.xml` });
}
