/** The feed reader's public surface. */
export { parseFeed, type ParseFeedOptions } from './parse.ts';
export { NotAFeedError, isNotAFeedError } from './not-a-feed-error.ts';
export { FeedItemSchema, ParsedFeedSchema, SUMMARY_MAX_CHARS, type FeedItem, type ParsedFeed } from './schema.ts';
export { feedSource, FEED_ACCEPT } from './feed-source.ts';
