/**
 * `morning-brief feed <url-or-file> [--json]`: reads one feed the way the feed source does
 * and shows what the brief would get from it, or why it is not a feed.
 */
import { describeError, redactUrl } from '../errors.ts';
import { FEED_ACCEPT } from '../sources/feed/feed-source.ts';
import { NotAFeedError } from '../sources/feed/not-a-feed-error.ts';
import { parseFeed } from '../sources/feed/parse.ts';
import type { ParsedFeed } from '../sources/feed/schema.ts';
import { readBytes, request, type HttpDeps } from '../util/http.ts';

export interface FeedCommandOptions {
  json: boolean;
}

export interface FeedCommandDeps {
  http: HttpDeps;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  readFile: (path: string) => Promise<Uint8Array>;
  timeoutMs: number;
  /** Sent as User-Agent when the target is a URL. */
  userAgent?: string;
}

const DEFAULT_USER_AGENT = 'morning-brief/0.1 (feed check)';

function formatDate(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '-'.padEnd(16);
}

/** Human-readable listing: a header, then per item its date and title with the link beneath. */
export function formatFeed(feed: ParsedFeed): string {
  const lines = [
    feed.title || '(untitled feed)',
    `format: ${feed.format}   items: ${feed.items.length}${feed.link ? `   link: ${feed.link}` : ''}   (dates in UTC)`,
    '',
  ];
  for (const item of feed.items) {
    const title = item.title || `(no title) ${item.summary.slice(0, 60)}`.trim();
    lines.push(`${formatDate(item.publishedAt)}  ${title}`);
    if (item.link) lines.push(`${' '.repeat(18)}${item.link}`);
  }
  return `${lines.join('\n')}\n`;
}

async function load(target: string, deps: FeedCommandDeps): Promise<{ bytes: Uint8Array; url?: string; contentType?: string | null }> {
  if (!/^https?:\/\//i.test(target)) return { bytes: await deps.readFile(target) };
  const res = await request(deps.http, target, {
    timeoutMs: deps.timeoutMs,
    retries: 1,
    headers: { 'user-agent': deps.userAgent ?? DEFAULT_USER_AGENT, accept: FEED_ACCEPT },
  });
  return { bytes: await readBytes(res), url: res.url || target, contentType: res.headers.get('content-type') };
}

/**
 * Exit code 0 when the target is a feed (even an empty one), 1 when it is not or the URL cannot be
 * read, 2 when the file given cannot be read.
 * @example process.exitCode = await runFeedCommand('https://decrypt.co/feed', { json: false }, { http, stdout: process.stdout, stderr: process.stderr, readFile, timeoutMs: 10_000 });
 */
export async function runFeedCommand(target: string, opts: FeedCommandOptions, deps: FeedCommandDeps): Promise<number> {
  let feed: ParsedFeed;
  const isUrl = /^https?:\/\//i.test(target);
  try {
    const { bytes, url, contentType } = await load(target, deps);
    feed = parseFeed(bytes, { url, contentType });
  } catch (err) {
    const message = err instanceof NotAFeedError ? `not a feed: ${err.reason}` : `cannot read ${redactUrl(target)}: ${describeError(err)}`;
    deps.stderr.write(`${message}\n`);
    // A file the user named that cannot be read is a usage error (as in replay); a URL that
    // fails or a body that is not a feed is a run-time failure.
    return !isUrl && !(err instanceof NotAFeedError) ? 2 : 1;
  }
  deps.stdout.write(opts.json ? `${JSON.stringify(feed, null, 2)}\n` : formatFeed(feed));
  return 0;
}
