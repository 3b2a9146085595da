import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { NotAFeedError } from '../../../src/sources/feed/not-a-feed-error.ts';
import { parseFeed } from '../../../src/sources/feed/parse.ts';
import { ParsedFeedSchema } from '../../../src/sources/feed/schema.ts';
import { fixture } from './helpers.ts';

/** Either a valid feed or a NotAFeedError: anything else would crash a collection run. */
function readsOrRefuses(bytes: Uint8Array): ReturnType<typeof parseFeed> | null {
  try {
    return ParsedFeedSchema.parse(parseFeed(bytes));
  } catch (err) {
    expect(err).toBeInstanceOf(NotAFeedError);
    return null;
  }
}

describe('parseFeed: robustness', () => {
  it('never fails with anything but NotAFeedError on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => void readsOrRefuses(bytes)), { numRuns: 300 });
  });

  it('reads what it can from a download cut off anywhere', () => {
    const whole = fixture('crypto-news.xml');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: whole.length }), (cut) => {
        const feed = readsOrRefuses(whole.subarray(0, cut));
        if (feed) expect(feed.items.length).toBeLessThanOrEqual(4);
      }),
      { numRuns: 200 },
    );
  });

  it('gives back Cyrillic and Latin-1 titles exactly, in their declared one-byte charsets', () => {
    const word = (chars: string) => fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
    const cases: Array<[string, fc.Arbitrary<string>]> = [
      ['windows-1251', word('абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ')],
      ['ISO-8859-1', word('àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÉÑÖÜ')],
    ];
    for (const [charset, wordArb] of cases) {
      fc.assert(
        fc.property(fc.array(wordArb, { minLength: 1, maxLength: 6 }), (words) => {
          const title = words.join(' ');
          const xml = `<?xml version="1.0" encoding="${charset}"?><rss version="2.0"><channel><item><title>${title}</title></item></channel></rss>`;
          expect(parseFeed(iconv.encode(xml, charset)).items[0]?.title).toBe(title);
        }),
        { numRuns: 100 },
      );
    }
  });
});
