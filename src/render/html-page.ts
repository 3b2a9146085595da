/**
 * Server-rendered archive and brief pages. Pure: StoredBrief in, HTML string out. Every
 * string from a brief (headlines come from outside feeds) is escaped; only http(s) URLs
 * become links. Links are relative so the pages also work behind a path-prefixing proxy.
 */
import type { StoredBrief } from '../store/runs.ts';
import { stripControls } from '../util/clean-text.ts';
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

const CSS = `
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fdfdfb;--muted:#6b6b70;--line:#e4e4e0;--link:#0b57d0;--up:#137333;--down:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e6;--bg:#161618;--muted:#a0a0a8;--line:#2e2e33;--link:#8ab4f8;--up:#81c995;--down:#f28b82}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;-webkit-text-size-adjust:100%}
main{max-width:42rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.45rem;line-height:1.3;margin:.25rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1rem;margin:1.75rem 0 .5rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
a{color:var(--link);overflow-wrap:anywhere}
nav{font-size:.95rem;display:flex;gap:1rem;flex-wrap:wrap}
.meta,.closing,.writer,.empty{color:var(--muted);font-size:.9rem}
.market{font-variant-numeric:tabular-nums;border-left:3px solid var(--line);padding-left:.75rem}
.up .market{border-color:var(--up)}.down .market{border-color:var(--down)}
.paragraph{font-size:1.05rem}
ol,ul{padding-left:1.25rem}li{margin:.35rem 0}
.archive{list-style:none;padding:0}.archive li{border-bottom:1px solid var(--line);padding:.75rem 0}
.archive a{font-weight:600;text-decoration:none}.archive .market{font-size:.9rem;border:0;padding:0;margin:.2rem 0 0}
`.trim();

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
      return `<li lang="${escapeHtml(langTag(b.language))}" class="${b.direction}">
<a href="briefs/${s.id}">${escapeHtml(b.title)}</a>
<div class="meta"><time datetime="${escapeHtml(b.dataAsOf)}">${escapeHtml(formatUtc(b.dataAsOf))}</time> · ${escapeHtml(b.writer)} writer</div>
${b.marketLine ? `<p class="market">${escapeHtml(b.marketLine)}</p>` : ''}
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
export function renderBriefPage(stored: StoredBrief): string {
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
${b.marketLine ? `<p class="market">${escapeHtml(b.marketLine)}</p>` : ''}
<p class="paragraph">${escapeHtml(briefParagraph(stored))}</p>
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
