/**
 * The feed reader: bytes in (gzip or not, any charset), a checked ParsedFeed out, or a
 * NotAFeedError saying why not.
 *
 * Parser choice: htmlparser2 in xmlMode builds the tree because it never gives up: an
 * unescaped "&", a stray end tag or junk before the root still yields every item it can
 * read. fast-xml-parser's validator is consulted only when that tolerant read finds nothing,
 * to turn "no items" into a precise "malformed XML: ... (line, column)".
 */
import { XMLValidator } from 'fast-xml-parser';
import { readAtom } from './atom.ts';
import { decodeFeedText } from './decode.ts';
import { gunzipIfNeeded } from './gunzip.ts';
import { ATOM_NS, RSS_NS } from './namespaces.ts';
import { NotAFeedError } from './not-a-feed-error.ts';
import { readRss } from './rss.ts';
import { cleanSummary, cleanTitle, stripControls } from '../../util/clean-text.ts';
import { ParsedFeedSchema, SUMMARY_MAX_CHARS, type ParsedFeed } from './schema.ts';
import { descendantsOf, readXmlTree, type XmlDocument, type XmlElement } from './xml-tree.ts';

export interface ParseFeedOptions {
  /** Where the bytes came from: the base for relative links, and named in errors. */
  url?: string | undefined;
  /** The response's Content-Type, for its charset (and to recognise HTML). */
  contentType?: string | null | undefined;
}

type Format = ParsedFeed['format'];

function feedFormat(el: XmlElement): Format | null {
  const name = el.name.toLowerCase();
  if (name === 'rss') return 'rss';
  if (name === 'feed' && (ATOM_NS.has(el.ns) || el.ns === '')) return 'atom';
  // An RDF document is a feed only if it holds an RSS channel or items.
  if (name === 'rdf' && (descendantsOf(el, 'channel', RSS_NS).length > 0 || descendantsOf(el, 'item', RSS_NS).length > 0)) return 'rdf';
  return null;
}

const HTML_ROOTS = new Set(['html', 'head', 'body']);

function looksLikeHtml(doc: XmlDocument, root: XmlElement | undefined, contentType: string | null): boolean {
  if (doc.doctype && /^!doctype\s+html/i.test(doc.doctype)) return true;
  if (root && HTML_ROOTS.has(root.name.toLowerCase())) return true;
  return contentType !== null && /^\s*(text\/html|application\/xhtml\+xml)/i.test(contentType);
}

/** fast-xml-parser's verdict as a short reason, or null when the XML is well formed. */
function xmlProblem(text: string): string | null {
  const result = XMLValidator.validate(text);
  if (result === true) return null;
  return `${result.err.msg.replace(/\.$/, '')} (line ${result.err.line}, column ${result.err.col})`;
}

/** Untrusted text cleaned where it enters: titles one capped line, summaries capped, no controls, escapes or bidi overrides. */
function cleanFeed(feed: ParsedFeed): ParsedFeed {
  const clean = (s: string | null) => (s === null ? null : stripControls(s, { singleLine: true }).trim());
  return {
    ...feed,
    title: cleanTitle(feed.title),
    link: clean(feed.link),
    items: feed.items.map((item) => ({
      ...item,
      title: cleanTitle(item.title),
      link: clean(item.link),
      guid: clean(item.guid),
      summary: cleanSummary(item.summary, SUMMARY_MAX_CHARS),
    })),
  };
}

/**
 * @example
 * const feed = parseFeed(bytes, { url: 'https://www.coindesk.com/arc/outboundfeeds/rss/', contentType: res.headers.get('content-type') });
 * for (const item of feed.items) console.log(item.publishedAt, item.title, item.link);
 */
export function parseFeed(bytes: Uint8Array, opts: ParseFeedOptions = {}): ParsedFeed {
  const url = opts.url ?? null;
  const contentType = opts.contentType ?? null;
  const fail = (reason: string): never => {
    throw new NotAFeedError(reason, url);
  };

  if (bytes.length === 0) fail('empty body');
  const { text } = decodeFeedText(gunzipIfNeeded(bytes, url), contentType);
  const trimmed = text.trim();
  if (trimmed === '') fail('empty body');

  const doc = readXmlTree(text);
  let format: Format | null = null;
  let root: XmlElement | undefined;
  // Junk before the root (a PHP warning, a stray tag) is skipped: the first feed root wins.
  for (const top of doc.tops) {
    format = feedFormat(top);
    if (format) {
      root = top;
      break;
    }
  }

  if (!format || !root) {
    const first = doc.tops[0];
    if (looksLikeHtml(doc, first, contentType)) fail('HTML page, not a feed');
    if (/^[[{]/.test(trimmed)) fail('JSON, not an RSS/Atom/RDF feed');
    if (!first) fail(`malformed XML: no root element (body starts with ${JSON.stringify(trimmed.slice(0, 40))})`);
    const problem = xmlProblem(text);
    if (problem) fail(`malformed XML: ${problem}`);
    return fail(`XML but not RSS/Atom/RDF (root <${first!.qname}>)`);
  }

  const feed = format === 'atom' ? readAtom(root, url) : readRss(root, format, url);
  if (feed.items.length === 0) {
    // Nothing read: say whether the feed is empty or broken.
    const problem = xmlProblem(text);
    if (problem) fail(`malformed XML: ${problem}`);
  }
  const checked = ParsedFeedSchema.safeParse(cleanFeed(feed));
  if (!checked.success) fail(`reader produced an invalid feed: ${checked.error.issues[0]?.message ?? 'unknown'}`);
  return checked.data!;
}
