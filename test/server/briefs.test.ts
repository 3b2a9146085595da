import { afterEach, describe, expect, it } from 'vitest';
import { HOSTILE, makeBrief, startTestServer, storeBrief, tempDb, type Running, type TestDb } from './helpers.ts';

let t: TestDb;
let srv: Running;
afterEach(async () => {
  await srv?.close();
  t?.cleanup();
});

/** Visible titles in archive order. */
function archiveTitles(html: string): string[] {
  return [...html.matchAll(/<a class="title" href="briefs\/(\d+)">([^<]*)<\/a>/g)].map((m) => `${m[1]}:${m[2]}`);
}

describe('GET /briefs', () => {
  it('lists briefs newest first, 20 a page, with working page links', async () => {
    t = tempDb();
    // Stored out of order: the archive sorts by creation time, not by id.
    const ids = new Map<string, number>();
    for (const day of [3, 1, 2]) ids.set(`d${day}`, storeBrief(t.db, makeBrief(`2025-01-0${day}T07:30:00.000Z`, { title: `Brief of day ${day}` })));
    srv = await startTestServer(t.db);

    const res = await fetch(`${srv.url}/briefs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(archiveTitles(html)).toEqual([`${ids.get('d3')}:Brief of day 3`, `${ids.get('d2')}:Brief of day 2`, `${ids.get('d1')}:Brief of day 1`]);
    expect(html).toContain('Page 1 of 1');
    expect(html).not.toContain('rel="next"');
  });

  it('paginates with ?page= and answers 400 for a bad page and 404 past the end', async () => {
    t = tempDb();
    for (let i = 1; i <= 25; i++) storeBrief(t.db, makeBrief(new Date(Date.UTC(2025, 0, i, 7, 30)).toISOString(), { title: `Day ${i}` }));
    srv = await startTestServer(t.db);

    const first = await (await fetch(`${srv.url}/briefs`)).text();
    expect(archiveTitles(first)).toHaveLength(20);
    expect(archiveTitles(first)[0]).toMatch(/:Day 25$/);
    expect(first).toContain('href="?page=2" rel="next"');
    const second = await (await fetch(`${srv.url}/briefs?page=2`)).text();
    expect(archiveTitles(second).map((s) => s.split(':')[1])).toEqual(['Day 5', 'Day 4', 'Day 3', 'Day 2', 'Day 1']);
    expect(second).toContain('href="?page=1" rel="prev"');

    expect((await fetch(`${srv.url}/briefs?page=3`)).status).toBe(404);
    for (const bad of ['0', '-1', 'abc', '1.5']) expect((await fetch(`${srv.url}/briefs?page=${bad}`)).status).toBe(400);
  });

  it('shows an empty archive before the first brief', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    const res = await fetch(`${srv.url}/briefs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('No briefs yet.');
  });
});

describe('GET /briefs/:id', () => {
  it('shows the brief with its title, paragraph, market line, notes, linked sources, closing and writer, escaping a hostile headline', async () => {
    t = tempDb();
    const id = storeBrief(
      t.db,
      makeBrief('2025-01-15T07:30:00.000Z', {
        title: `Mars Morning News | ${HOSTILE}, ETH at $3,000`,
        items: [{ text: `Headline ${HOSTILE} was seen, CoinDesk reports.`, storyIds: ['x'], section: 'other' }],
        language: 'de',
      }),
    );
    srv = await startTestServer(t.db);
    const res = await fetch(`${srv.url}/briefs/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="de">');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<h1>Mars Morning News | &lt;script&gt;alert(1)&lt;/script&gt;, ETH at $3,000</h1>');
    expect(html).toContain('Headline &lt;script&gt;alert(1)&lt;/script&gt; was seen, CoinDesk reports.');
    expect(html).toContain('BTC $91,234 (-2.3%) · ETH $3,000 (+1.2%) · Fear &amp; Greed 28 (Fear)');
    expect(html).toContain('<li>ETF flows from Farside were unavailable this morning.</li>');
    expect(html).toContain('href="https://www.coindesk.com/markets/ibit-options"');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('Click me'); // the unsafe source is still listed, as text
    expect(html).toContain('no AI model was used');
    expect(html).toContain('Written by the extractive writer.');
  });

  it('answers 400 for an id that is not a number and 404 for a missing brief', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    for (const bad of ['abc', '0', '-3', '1e3', '99999999999999999999']) {
      const res = await fetch(`${srv.url}/briefs/${bad}`);
      expect(res.status, bad).toBe(400);
    }
    const missing = await fetch(`${srv.url}/briefs/42`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('There is no brief #42.');
  });
});

describe('GET /briefs/latest.json', () => {
  it('returns the newest brief as JSON, 404 JSON when there is none', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    const none = await fetch(`${srv.url}/briefs/latest.json`);
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: 'no brief yet' });

    storeBrief(t.db, makeBrief('2025-01-14T07:30:00.000Z'));
    const id = storeBrief(t.db, makeBrief('2025-01-15T07:30:00.000Z', { title: 'Newest' }));
    storeBrief(t.db, makeBrief('2025-01-13T07:30:00.000Z'));
    const res = await fetch(`${srv.url}/briefs/latest.json`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: number; url: string; brief: { title: string } };
    expect(body.id).toBe(id);
    expect(body.brief.title).toBe('Newest');
    expect(body.url).toBe(`${srv.url}/briefs/${id}`);
  });

  it('filters by language and rejects a malformed one', async () => {
    t = tempDb();
    storeBrief(t.db, makeBrief('2025-01-14T07:30:00.000Z', { language: 'zh', title: 'Chinese' }));
    storeBrief(t.db, makeBrief('2025-01-15T07:30:00.000Z', { title: 'English' }));
    srv = await startTestServer(t.db);
    const zh = (await (await fetch(`${srv.url}/briefs/latest.json?language=zh`)).json()) as { brief: { title: string } };
    expect(zh.brief.title).toBe('Chinese');
    expect((await fetch(`${srv.url}/briefs/latest.json?language=%3Cx%3E`)).status).toBe(400);
  });
});

describe('routing', () => {
  it('answers 404 for unknown paths, 405 for wrong methods, and redirects / and trailing slashes', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    const unknown = await fetch(`${srv.url}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'not found' });
    expect((await fetch(`${srv.url}/briefs/1/extra`)).status).toBe(404);
    const wrong = await fetch(`${srv.url}/briefs`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${srv.url}/healthz`, { method: 'DELETE' })).status).toBe(405);

    const root = await fetch(`${srv.url}/`);
    expect(root.url).toBe(`${srv.url}/briefs`);
    const slash = await fetch(`${srv.url}/briefs/`);
    expect(slash.url).toBe(`${srv.url}/briefs`);
    expect(slash.status).toBe(200);

    const head = await fetch(`${srv.url}/briefs`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${srv.url}/briefs/%E0%A4%A`)).status).toBe(400);
  });

  it('listens on the port it reports and stops answering after close', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    expect(srv.port).toBeGreaterThan(0);
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}`);
    await srv.close();
    await expect(fetch(`${srv.url}/healthz`)).rejects.toThrow();
  });
});
