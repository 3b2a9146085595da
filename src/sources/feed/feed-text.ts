/** Text out of feed elements: RSS fields are HTML in practice, Atom says what it holds in `type`. */
import { decodeHtmlEntities, htmlToText, truncateText } from './html-text.ts';
import { SUMMARY_MAX_CHARS } from './schema.ts';
import { attrOf, textOf, type XmlElement } from './xml-tree.ts';

/** An RSS field (title, description...) as plain text. */
export function rssText(el: XmlElement | null): string {
  return el ? htmlToText(textOf(el)) : '';
}

/** An Atom text construct (title, summary, content) as plain text, honouring type="text|html|xhtml" and 0.3's mode. */
export function atomText(el: XmlElement | null): string {
  if (!el) return '';
  // Inline markup (type="xhtml", or 0.3's mode="xml"): already a tree, flatten it.
  if (el.children.some((c) => typeof c !== 'string')) return decodeHtmlEntities(textOf(el));
  const type = (attrOf(el, 'type') ?? 'text').trim().toLowerCase();
  const mode = (attrOf(el, 'mode') ?? '').trim().toLowerCase();
  let raw = textOf(el);
  if (mode === 'base64') raw = Buffer.from(raw, 'base64').toString('utf8');
  if (type === 'text' || type === 'text/plain') return mode === 'escaped' ? htmlToText(raw) : decodeHtmlEntities(raw);
  return htmlToText(raw);
}

/** The first non-empty text among candidates, cut to the summary length. */
export function firstSummary(candidates: Array<() => string>): string {
  for (const get of candidates) {
    const text = get();
    if (text) return truncateText(text, SUMMARY_MAX_CHARS);
  }
  return '';
}

/** The first candidate that parses, e.g. pubDate, then dc:date. */
export function firstOf<T>(candidates: Array<() => T | null>): T | null {
  for (const get of candidates) {
    const value = get();
    if (value !== null) return value;
  }
  return null;
}
