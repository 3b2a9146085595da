/**
 * Feed titles and summaries often carry HTML (escaped once or twice, or as CDATA). These turn
 * it into one line of plain text with htmlparser2 in HTML mode, which also decodes HTML
 * entities (&nbsp; &eacute; ...) that XML itself does not know.
 */
import { Parser } from 'htmlparser2';

const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'tr', 'td', 'th', 'table', 'blockquote', 'pre', 'section', 'article', 'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'figure', 'figcaption', 'img']);
// Their content is never prose.
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg']);

/** Collapses runs of whitespace (including no-break spaces) to one space and trims. */
export function collapseWhitespace(s: string): string {
  return s.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/**
 * @example htmlToText('<p>Fed holds&nbsp;rates</p><script>x()</script>') // "Fed holds rates"
 */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return collapseWhitespace(html);
  let out = '';
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipping++;
        else if (BLOCK.has(name)) out += ' ';
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCK.has(name)) out += ' ';
      },
      ontext(data) {
        if (skipping === 0) out += data;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return collapseWhitespace(out);
}

/** Decodes HTML entities but keeps "<" and ">" as text: for text that must not lose its angle brackets. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return collapseWhitespace(text);
  return htmlToText(text.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * Cuts at a word boundary so the result, with its ellipsis, fits in `max` characters.
 * @example truncateText('one two three', 9) // "one two…"
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never leave half of a surrogate pair (an emoji) at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  const head = space > max * 0.6 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.-]+$/, '')}…`;
}
