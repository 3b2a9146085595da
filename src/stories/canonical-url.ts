/**
 * One spelling per article URL, so the same story linked from two feeds (or one feed with
 * campaign tags) is recognised as one. Pure, never throws, idempotent.
 */

/** Query parameters that only track the reader; compared lower-cased. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'ref',
  'ref_src',
  'ref_url',
  'cmpid',
  'cmp',
  'ocid',
  'igshid',
  'igsh',
  '_ga',
  '_gl',
  'yclid',
  'spm',
  'share',
  'smid',
  'mkt_tok',
  'sr_share',
  '__twitter_impression',
  'at_medium',
  'at_campaign',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
]);

/** Tracking prefixes: utm_source, utm_medium... (feedburner adds all of these). */
const TRACKING_PREFIXES = ['utm_', 'hsa_', 'pk_', 'mtm_'];

/**
 * Generic names that are tracking only when their value names a feed or a share channel
 * (`?src=rss`, `?source=feedburner`); otherwise they may select content and are kept.
 */
const SOURCE_LIKE_PARAMS = new Set(['src', 'source', 'from', 'via', 'channel', 'feed']);
const SOURCE_LIKE_VALUE =
  /^(?:rss|feed|feeds|feedburner|atom|twitter|tw|x|facebook|fb|linkedin|share|social|email|newsletter|push|telegram|whatsapp|reddit|syndication|copy[-_ ]?link)(?:$|[-_.:|/ ])/i;

/** Query switches that request the AMP rendering of the same article. */
function isAmpParam(name: string, value: string): boolean {
  if (name === 'outputtype') return value.toLowerCase() === 'amp';
  return name === 'amp' || name === '_amp' || name === 'usqp';
}

function isTrackingParam(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower === '') return true;
  if (TRACKING_PARAMS.has(lower)) return true;
  if (TRACKING_PREFIXES.some((p) => lower.startsWith(p))) return true;
  if (SOURCE_LIKE_PARAMS.has(lower) && SOURCE_LIKE_VALUE.test(value)) return true;
  return isAmpParam(lower, value);
}

/** `/news/x/amp/`, `/amp/news/x`, `/news/x.amp`, `/news/x.amp.html` -> `/news/x`(`.html`). */
function foldAmpPath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment.toLowerCase() !== 'amp')
    .join('/')
    .replace(/(?:\.amp)+(?=\.html?$|$)/i, '')
    .replace(/\/+$/, '');
}

function once(raw: string, base?: string): string {
  let text = raw.trim();
  if (text === '') return '';
  // A protocol-relative link from a feed with no base: every outlet we read serves https.
  if (text.startsWith('//') && base === undefined) text = `https:${text}`;
  let url: URL;
  try {
    url = base === undefined ? new URL(text) : new URL(text, base);
  } catch {
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.replace(/\.+$/, '');
  if (url.hostname === '') return '';
  // Credentials are never part of an article's identity and must not be echoed anywhere.
  if (url.username !== '') url.username = '';
  if (url.password !== '') url.password = '';
  url.hash = ''; // always: a bare "#" reads as '' yet stays in href
  // `www.` dropped: feeds disagree on it for the same article (coindesk.com vs www.), and
  // news sites redirect one to the other, so the shorter form is the identity key.
  const host = url.hostname.replace(/^(?:www\d*\.)+(?=[^.]+\.[^.])/i, '');
  if (host !== url.hostname) url.hostname = host;

  if (url.search === '') {
    // A bare "?" parses to an empty search yet stays in href.
    if (url.href.endsWith('?')) url.search = '';
  } else {
    const kept: [string, string][] = [];
    for (const [name, value] of url.searchParams) {
      if (!isTrackingParam(name, value)) kept.push([name, value]);
    }
    // Sort by name, then value, by code unit: locale-independent and stable.
    kept.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    url.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString();
  }

  const path = foldAmpPath(url.pathname) || '/';
  if (path !== url.pathname) url.pathname = path;
  return url.href;
}

/**
 * The canonical form of an article URL: absolute, lower-case scheme and host, no default
 * port, no credentials, no fragment, no `www.`, tracking and AMP switches removed, other
 * query parameters sorted, no trailing slash (except the root). Returns '' for anything
 * that is not an http(s) URL. `canonicalUrl(canonicalUrl(x)) === canonicalUrl(x)`.
 *
 * @example
 * canonicalUrl('HTTPS://www.CoinDesk.com:443/markets/2025/11/27/btc/amp/?utm_source=feedburner&b=2&a=1#top')
 * // => 'https://coindesk.com/markets/2025/11/27/btc?a=1&b=2'
 * canonicalUrl('/policy/x?fbclid=1', 'https://decrypt.co/feed') // => 'https://decrypt.co/policy/x'
 * canonicalUrl('not a url') // => ''
 */
export function canonicalUrl(raw: string, base?: string): string {
  try {
    let current = once(String(raw), base);
    // Folding can expose another foldable piece (`/amp/amp/`); settle on a fixed point.
    for (let i = 0; i < 4 && current !== ''; i++) {
      const next = once(current);
      if (next === current) return current;
      current = next;
    }
    return current;
  } catch {
    return '';
  }
}
