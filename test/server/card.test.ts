/** The archive's market cards: /briefs/:id/card.png, the card on the brief page, thumbnails, the RSS enclosure. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pngHeader } from '../../src/card/png.ts';
import { createCardStore } from '../../src/card/store.ts';
import { SnapshotSchema, type Snapshot } from '../../src/domain.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { makeBrief, startTestServer, storeBrief, tempDb, type Running, type TestDb } from './helpers.ts';

let t: TestDb | undefined;
let srv: Running | undefined;
afterEach(async () => {
  await srv?.close();
  t?.cleanup();
  srv = undefined;
  t = undefined;
});

const bundled = (): Snapshot => SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.json', import.meta.url), 'utf8')));

function storeWithHistory(db: TestDb['db'], createdAt: string): number {
  const brief = makeBrief(createdAt, { dataAsOf: '2025-11-27T06:30:00.000Z' });
  const runId = insertRun(db, bundled(), 'test', new Date(createdAt));
  return insertBrief(db, runId, brief, [], { tokensIn: null, tokensOut: null, costUsd: null });
}

describe('market card in the archive', () => {
  it('serves the card as an immutable 1200×675 PNG, drawn once however often it is asked for', async () => {
    t = tempDb();
    const id = storeWithHistory(t.db, '2025-11-27T06:31:00.000Z');
    let drawings = 0;
    const cards = createCardStore({ db: t.db, render: async (d) => (drawings++, (await import('../../src/card/render.ts')).renderCard(d)) });
    srv = await startTestServer(t.db, { cards });

    const [a, b] = await Promise.all([fetch(`${srv.url}/briefs/${id}/card.png`), fetch(`${srv.url}/briefs/${id}/card.png`)]);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('image/png');
    expect(a.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const png = new Uint8Array(await a.arrayBuffer());
    expect(pngHeader(png)).toMatchObject({ width: 1200, height: 675 });
    expect(Buffer.from(await b.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
    expect(drawings).toBe(1);

    const again = await fetch(`${srv.url}/briefs/${id}/card.png`, { headers: { 'if-none-match': a.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('puts the card at the top of the brief page, thumbnails in /briefs and the enclosure in the feed', async () => {
    t = tempDb();
    const withCard = storeWithHistory(t.db, '2025-11-27T06:31:00.000Z');
    const without = storeBrief(t.db, makeBrief('2025-11-26T06:31:00.000Z'));
    srv = await startTestServer(t.db);

    const page = await (await fetch(`${srv.url}/briefs/${withCard}`)).text();
    expect(page).toContain(`<figure class="card"><img src="${withCard}/card.png" width="1200" height="675" alt="Market card: BTC $91,234`);
    expect(page.indexOf('class="card"')).toBeLessThan(page.indexOf('class="paragraph"'));
    // The figures behind the picture are on the page as text too.
    expect(page).toContain('<h2>Markets</h2>');
    expect(page).toContain('$91,235');
    expect(page).toContain('Fear &amp; Greed');

    const plain = await (await fetch(`${srv.url}/briefs/${without}`)).text();
    expect(plain).not.toContain('card.png');
    expect(plain).toContain('<p class="market">');
    expect((await fetch(`${srv.url}/briefs/${without}/card.png`)).status).toBe(404);
    expect((await fetch(`${srv.url}/briefs/999/card.png`)).status).toBe(404);

    const archive = await (await fetch(`${srv.url}/briefs`)).text();
    expect(archive).toContain(`src="briefs/${withCard}/card.png"`);
    expect(archive).not.toContain(`src="briefs/${without}/card.png"`);

    const png = new Uint8Array(await (await fetch(`${srv.url}/briefs/${withCard}/card.png`)).arrayBuffer());
    const feed = await (await fetch(`${srv.url}/feed.xml`)).text();
    expect(feed).toContain(`<enclosure url="${srv.url}/briefs/${withCard}/card.png" length="${png.length}" type="image/png"/>`);
    expect(feed.match(/<enclosure /g)).toHaveLength(1);
  });
});
