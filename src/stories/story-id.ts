/**
 * Short stable story ids: the same lead URL (or title, when there is no URL) gives the
 * same id in every run, so a brief item can cite a story and a later run can find it.
 */
import { createHash } from 'node:crypto';

/**
 * @example storyId('https://coindesk.com/policy/binance-lawsuit', 'Binance faces ...') // => 10 hex chars
 */
export function storyId(canonicalUrl: string, title: string): string {
  const key = canonicalUrl !== '' ? canonicalUrl : `title:${title.toLowerCase().replace(/\s+/gu, ' ').trim()}`;
  return createHash('sha1').update(key).digest('hex').slice(0, 10);
}
