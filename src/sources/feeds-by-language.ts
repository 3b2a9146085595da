/**
 * Which news feeds an edition reads: a zh edition reads the zh feeds, an English one the
 * feeds with no language (or "en"); an edition with no feeds of its own reads the English
 * ones. Market sources (prices, rates, sentiment, flows) are shared by every edition.
 */
import type { Config, FeedConfig } from '../config.ts';

const base = (language: string): string => language.toLowerCase().split(/[-_]/u)[0] ?? language;
const feedLanguage = (feed: Pick<FeedConfig, 'language'>): string => base(feed.language ?? 'en');

/**
 * @example feedsForLanguage(DEFAULT_FEEDS, 'zh').map((f) => f.id) // => ['odaily', 'chaincatcher']
 * @example feedsForLanguage(DEFAULT_FEEDS, 'de')                  // the English feeds
 */
export function feedsForLanguage<F extends Pick<FeedConfig, 'language'>>(feeds: readonly F[], language: string): F[] {
  const own = feeds.filter((f) => feedLanguage(f) === base(language));
  return own.length > 0 ? own : feeds.filter((f) => feedLanguage(f) === 'en');
}

/** The config with only the edition's feeds, for collecting one edition's snapshot. */
export function configForEdition(config: Config, language: string): Config {
  return { ...config, sources: { ...config.sources, feeds: feedsForLanguage(config.sources.feeds, language) } };
}
