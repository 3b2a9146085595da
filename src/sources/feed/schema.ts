/** The reader's output shape; zod checks every parse before it leaves the reader or the cache. */
import { z } from 'zod';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');

/** Longest summary the reader returns, in characters. */
export const SUMMARY_MAX_CHARS = 300;

export const FeedItemSchema = z.object({
  /** Plain text, whitespace collapsed; '' when the item has none. */
  title: z.string(),
  /** Absolute http(s) URL when it could be resolved, else as written, or null. */
  link: z.string().nullable(),
  publishedAt: isoTime.nullable(),
  /** Plain text, at most SUMMARY_MAX_CHARS. */
  summary: z.string().max(SUMMARY_MAX_CHARS),
  guid: z.string().nullable(),
});
export type FeedItem = z.infer<typeof FeedItemSchema>;

export const FeedFormatSchema = z.enum(['rss', 'atom', 'rdf']);
export type FeedFormat = z.infer<typeof FeedFormatSchema>;

export const ParsedFeedSchema = z.object({
  title: z.string(),
  link: z.string().nullable(),
  format: FeedFormatSchema,
  items: z.array(FeedItemSchema),
});
export type ParsedFeed = z.infer<typeof ParsedFeedSchema>;
