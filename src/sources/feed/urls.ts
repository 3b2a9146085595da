/** Link resolution: xml:base in effect, else the feed's own link, else the URL it was fetched from. */

function tryUrl(href: string, base?: string | null): URL | null {
  try {
    return base ? new URL(href, base) : new URL(href);
  } catch {
    return null;
  }
}

export interface LinkBases {
  /** Where the feed was fetched from, if known. */
  fetchUrl: string | null;
  /** The feed's own (site) link, possibly relative. */
  feedLink: string | null;
}

/** The absolute base for links outside any xml:base. */
export function documentBase(bases: LinkBases): string | null {
  const fetched = bases.fetchUrl ? tryUrl(bases.fetchUrl) : null;
  const site = bases.feedLink ? tryUrl(bases.feedLink.trim(), fetched?.href) : null;
  return site?.href ?? fetched?.href ?? null;
}

/**
 * An absolute http(s) URL; a relative link stays as written when nothing absolute is known;
 * other schemes (javascript:, mailto:, data:) give null, since they are never an article.
 * @example resolveLink('/news/1', null, 'https://example.com/feed') // "https://example.com/news/1"
 */
export function resolveLink(href: string | null | undefined, xmlBase: string | null, docBase: string | null): string | null {
  const h = href?.trim();
  if (!h) return null;
  let base = docBase;
  if (xmlBase) base = tryUrl(xmlBase, docBase)?.href ?? base;
  const url = tryUrl(h, base);
  // Nothing to resolve against: keep a plain relative reference, drop anything else.
  if (!url) return !base && !/\s/.test(h) && !/^[a-z][a-z0-9+.-]*:/i.test(h) ? h : null;
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}
