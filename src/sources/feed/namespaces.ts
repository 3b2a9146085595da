/** Namespace URIs the reader matches elements by (prefixes vary from feed to feed). */

/** RSS core elements: no namespace (RSS 0.9x/2.0), Userland's RSS 2 namespace, RSS 1.0 and 0.90. */
export const RSS_NS: ReadonlySet<string> = new Set([
  '',
  'http://backend.userland.com/rss2',
  'http://backend.userland.com/rss',
  'http://purl.org/rss/1.0/',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://channel.netscape.com/rdf/simple/0.9/',
]);
/** Atom 1.0 and 0.3. */
export const ATOM_NS: ReadonlySet<string> = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#']);
export const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
export const DC_NS: ReadonlySet<string> = new Set(['http://purl.org/dc/elements/1.1/']);
export const DCTERMS_NS: ReadonlySet<string> = new Set(['http://purl.org/dc/terms/']);
export const CONTENT_NS: ReadonlySet<string> = new Set(['http://purl.org/rss/1.0/modules/content/']);
export const MEDIA_NS: ReadonlySet<string> = new Set(['http://search.yahoo.com/mrss/', 'http://search.yahoo.com/mrss']);
export const ITUNES_NS: ReadonlySet<string> = new Set(['http://www.itunes.com/dtds/podcast-1.0.dtd']);
export const FEEDBURNER_NS: ReadonlySet<string> = new Set(['http://rssnamespace.org/feedburner/ext/1.0']);
