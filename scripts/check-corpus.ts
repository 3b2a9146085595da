/**
 * Reads every file in a folder of real-world feeds and prints, per file, the format, item
 * count and first title (or why it is not a feed), then a summary line and the time taken.
 * Titles with U+FFFD or typical mojibake ("Ã©", "Ð°") are flagged: the charset went wrong.
 *
 * @example npx tsx scripts/check-corpus.ts /work/shared/corpus/feeds
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeFeedText } from '../src/sources/feed/decode.ts';
import { gunzipIfNeeded, isGzip } from '../src/sources/feed/gunzip.ts';
import { NotAFeedError } from '../src/sources/feed/not-a-feed-error.ts';
import { parseFeed } from '../src/sources/feed/parse.ts';

const MOJIBAKE = /\uFFFD|Ã[\u0080-\u00BF]|Â[\u0080-\u00BF]|Ð[\u0080-\u00BF]|Ñ[\u0080-\u00BF]|â€/;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<number> {
  const dir = process.argv[2] ?? '/work/shared/corpus/feeds';
  const files = (await readdir(dir)).filter((f) => !f.startsWith('.') && f.toLowerCase() !== 'readme.md').sort();
  let feeds = 0;
  let notFeeds = 0;
  let failed = 0;
  let items = 0;
  let suspicious = 0;
  let ms = 0;
  for (const file of files) {
    const bytes = new Uint8Array(await readFile(join(dir, file)));
    const gz = isGzip(bytes) ? '+gzip' : '';
    const started = performance.now();
    try {
      const feed = parseFeed(bytes);
      ms += performance.now() - started;
      const { encoding } = decodeFeedText(gunzipIfNeeded(bytes));
      feeds++;
      items += feed.items.length;
      const first = feed.items.find((i) => i.title)?.title ?? '(no title)';
      const bad = [feed.title, ...feed.items.map((i) => i.title)].some((t) => MOJIBAKE.test(t));
      if (bad) suspicious++;
      console.log(
        `${pad(file, 44)} ${pad(feed.format, 5)} ${String(feed.items.length).padStart(4)} items  ${pad(encoding + gz, 18)} ${bad ? 'MOJIBAKE? ' : ''}${first.slice(0, 70)}`,
      );
    } catch (err) {
      ms += performance.now() - started;
      if (err instanceof NotAFeedError) {
        notFeeds++;
        console.log(`${pad(file, 44)} NOT A FEED: ${err.reason}`);
      } else {
        failed++;
        console.log(`${pad(file, 44)} ERROR: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }
  console.log(
    `\n${files.length} files: ${feeds} feeds read (${items} items), ${notFeeds} not a feed, ${failed} errors, ${suspicious} with suspicious titles; parsing took ${ms.toFixed(0)} ms`,
  );
  return failed > 0 || suspicious > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
