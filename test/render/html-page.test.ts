import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderArchivePage, renderBriefPage, safeHttpUrl } from '../../src/render/html-page.ts';
import type { StoredBrief } from '../../src/store/runs.ts';
import { HOSTILE, makeBrief } from '../server/helpers.ts';

function stored(id: number, overrides: Parameters<typeof makeBrief>[1] = {}): StoredBrief {
  return { id, runId: id, edition: 'default', brief: makeBrief('2025-01-15T07:30:00.000Z', overrides), stories: [], tokensIn: null, tokensOut: null, costUsd: null };
}

describe('renderBriefPage', () => {
  it('escapes every string that came from outside, attributes included', () => {
    const html = renderBriefPage(
      stored(3, {
        title: HOSTILE,
        marketLine: '<img src=x onerror=alert(1)>',
        notes: ['<b>bold</b>'],
        closing: '</p><script>x()</script>',
        writerReason: '"><script>',
        sources: [{ name: '<i>Out</i>', title: '"quoted" <title>', url: 'https://example.org/?a=1&b="2"' }],
        language: '"><script>',
      }),
    );
    expect(html).not.toMatch(/<script|<img|<b>|<i>|onerror=alert\(1\)>/);
    expect(html).toContain('<html lang="en">'); // a bogus language falls back to "en"
    expect(html).toContain('href="https://example.org/?a=1&amp;b=%222%22"');
    expect(html).toContain('&quot;quoted&quot; &lt;title&gt;');
  });

  it('links only http and https sources', () => {
    const html = renderBriefPage(
      stored(1, {
        sources: [
          { name: 'A', title: 'web', url: 'https://a.example/x' },
          { name: 'B', title: 'plain', url: 'http://b.example/' },
          { name: 'C', title: 'js', url: 'JaVaScRiPt:alert(1)' },
          { name: 'D', title: 'data', url: 'data:text/html,<script>alert(1)</script>' },
          { name: 'E', title: 'relative', url: '/etc/passwd' },
          { name: 'F', title: 'none', url: '' },
        ],
      }),
    );
    const hrefs = [...html.matchAll(/<a href="([^"]*)" rel="noopener/g)].map((m) => m[1]);
    expect(hrefs).toEqual(['https://a.example/x', 'http://b.example/']);
    for (const title of ['js', 'data', 'relative', 'none']) expect(html).toContain(`<li>${title} <span`);
  });

  it('sets the page language from the brief and leaves out empty sections', () => {
    const html = renderBriefPage(stored(2, { language: 'zh-Hans', notes: [], sources: [] }));
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).not.toContain('Missing today');
    expect(html).not.toContain('<h2>Sources</h2>');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });
});

describe('renderArchivePage', () => {
  it('lists briefs in the given order, with pager links only where pages exist', () => {
    const html = renderArchivePage([stored(9, { title: 'Nine' }), stored(8, { title: HOSTILE })], { page: 2, totalPages: 3 });
    expect(html.indexOf('href="briefs/9"')).toBeLessThan(html.indexOf('href="briefs/8"'));
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('href="?page=1" rel="prev"');
    expect(html).toContain('href="?page=3" rel="next"');
    expect(html).toContain('Page 2 of 3');
  });
});

describe('escapeHtml and safeHttpUrl', () => {
  it('never lets markup through, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts only absolute http(s) URLs', () => {
    expect(safeHttpUrl(' https://x.org/a b ')).toBe('https://x.org/a%20b');
    expect(safeHttpUrl('ftp://x.org/')).toBeNull();
    expect(safeHttpUrl('//x.org/')).toBeNull();
    expect(safeHttpUrl('vbscript:x')).toBeNull();
  });
});
