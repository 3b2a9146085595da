/**
 * Escaping for Telegram HTML (and any HTML): every untrusted string goes through here
 * before it meets markup, so a headline can never open a tag or an entity.
 */
import { stripControls } from '../util/clean-text.ts';

/**
 * Text between tags: `&`, `<` and `>` become entities.
 * @example escapeHtml('<b>x</b> & y') // '&lt;b&gt;x&lt;/b&gt; &amp; y'
 */
export function escapeHtml(text: string): string {
  // Controls, escape sequences and bidi overrides from a feed never reach a chat.
  return stripControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A double-quoted attribute value: also `"` as `&quot;`.
 * @example `<a href="${escapeAttr(url)}">`
 */
export function escapeAttr(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/**
 * The URL to put in an `href`, or null when it is not a plain http(s) link
 * (`javascript:`, `data:`, relative or unparsable URLs are rendered as text instead).
 * @example safeHref('javascript:alert(1)') // null
 */
export function safeHref(url: string): string | null {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const parsed = new URL(trimmed);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    if (!parsed.hostname) return null;
    return parsed.href;
  } catch {
    return null;
  }
}
