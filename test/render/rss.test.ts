import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderRss, rfc822 } from '../../src/render/rss.ts';
import type { StoredBrief } from '../../src/store/runs.ts';
import { makeBrief } from '../server/helpers.ts';

// Keep text exactly as written (no number coercion, no trimming) to compare round trips.
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, trimValues: false });

function stored(id: number, overrides: Parameters<typeof makeBrief>[1] = {}): StoredBrief {
  return { id, runId: id, edition: 'default', brief: makeBrief('2025-01-15T07:30:00.000Z', overrides), stories: [], tokensIn: null, tokensOut: null, costUsd: null };
}

describe('renderRss', () => {
  it('produces RSS 2.0 a reader can use: channel fields, permalinks, RFC 822 dates', () => {
    const xml = renderRss([stored(2), stored(1, { createdAt: '2025-01-14T07:30:00.000Z' })], 'https://brief.example.org', { title: 'My Brief' });
    expect(XMLValidator.validate(xml)).toBe(true);
    const channel = parser.parse(xml).rss.channel;
    expect(channel.title).toBe('My Brief');
    expect(channel.link).toBe('https://brief.example.org/briefs');
    expect(channel['atom:link']['@_href']).toBe('https://brief.example.org/feed.xml');
    expect(channel.lastBuildDate).toBe('Wed, 15 Jan 2025 07:30:00 GMT');
    expect(channel.item.map((i: { link: string }) => i.link)).toEqual(['https://brief.example.org/briefs/2', 'https://brief.example.org/briefs/1']);
    expect(channel.item[1].pubDate).toBe('Tue, 14 Jan 2025 07:30:00 GMT');
    expect(channel.item[0].guid['@_isPermaLink']).toBe('true');
  });

  it('stays valid XML and round-trips any title, control characters dropped', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1 }), (title) => {
        const xml = renderRss([stored(1, { title })], 'http://localhost:8080');
        expect(XMLValidator.validate(xml)).toBe(true);
        const expected = title.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
        // XML parsers normalise CR and CRLF to LF.
        expect(String(parser.parse(xml).rss.channel.item.title)).toBe(expected.replace(/\r\n?/g, '\n'));
      }),
      { numRuns: 200 },
    );
  });

  it('falls back to the epoch for a date that does not parse, rather than "Invalid Date"', () => {
    expect(rfc822('not a date')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });
});
