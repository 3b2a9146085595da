/**
 * What a reader sees: the archive opened in headless Chromium (Debian's `chromium` when
 * installed, else the one npm installs; see test/helpers/chromium.ts), driven by
 * playwright-core, clicked through to a brief.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotSchema } from '../../src/domain.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { findChromium } from '../helpers/chromium.ts';
import { HOSTILE, makeBrief, startTestServer, storeBrief, tempDb, type Running, type TestDb } from './helpers.ts';

/** Where the card screenshots go (SCREENSHOT_DIR, else the temp folder), for a human to look at. */
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'morning-brief-screenshots');


let t: TestDb;
let srv: Running;
let browser: Browser | undefined;
let hostileId: number;

beforeAll(async () => {
  t = tempDb();
  storeBrief(t.db, makeBrief('2025-01-14T07:30:00.000Z', { title: 'Mars Morning News | BTC falls 4.1% to $86,200, SEC sues Binance' }));
  hostileId = storeBrief(
    t.db,
    makeBrief('2025-01-15T07:30:00.000Z', {
      title: `Mars Morning News | ${HOSTILE}, ETH returns to $3,000`,
      items: [
        { text: "The Federal Reserve's Beige Book shows little change in U.S. economic activity, the Fed reports.", storyIds: ['s1'], section: 'macro' },
        { text: `A feed titled ${HOSTILE} made the rounds, Decrypt reports.`, storyIds: ['s3'], section: 'other' },
      ],
    }),
  );
  srv = await startTestServer(t.db);
});

afterAll(async () => {
  await browser?.close();
  await srv?.close();
  t?.cleanup();
});

describe('the archive in a browser', () => {
  it('lets a reader click from the archive to a brief and read it, with a hostile headline shown as text', async () => {
    const found = await findChromium();
    browser = await chromium.launch({ executablePath: found.executablePath, args: found.args, timeout: 60_000 });
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await page.goto(`${srv.url}/briefs`);
    const links = page.locator('ol.archive li a');
    await expect.poll(() => links.count()).toBe(2);
    // Newest first: the hostile one was stored last with the later date.
    expect(await links.first().textContent()).toBe(`Mars Morning News | ${HOSTILE}, ETH returns to $3,000`);
    expect(await links.nth(1).textContent()).toBe('Mars Morning News | BTC falls 4.1% to $86,200, SEC sues Binance');

    await links.first().click();
    await page.waitForURL(`${srv.url}/briefs/${hostileId}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toBe(`Mars Morning News | ${HOSTILE}, ETH returns to $3,000`);
    expect(await page.locator('h1').innerText()).toBe(`Mars Morning News | ${HOSTILE}, ETH returns to $3,000`);
    expect(await page.locator('p.paragraph').innerText()).toBe(
      `The Federal Reserve's Beige Book shows little change in U.S. economic activity, the Fed reports. A feed titled ${HOSTILE} made the rounds, Decrypt reports.`,
    );
    expect(await page.locator('p.market').innerText()).toBe('BTC $91,234 (-2.3%) · ETH $3,000 (+1.2%) · Fear & Greed 28 (Fear)');
    expect(await page.locator('ul.notes li').allInnerTexts()).toEqual(['ETF flows from Farside were unavailable this morning.']);
    const sourceLink = page.getByRole('link', { name: 'Nasdaq seeks higher IBIT options limit' });
    expect(await sourceLink.getAttribute('href')).toBe('https://www.coindesk.com/markets/ibit-options');
    // The javascript: source is listed but is not a link.
    expect(await page.getByRole('link', { name: 'Click me' }).count()).toBe(0);
    expect(await page.locator('ol.sources').innerText()).toContain('Click me');
    expect(await page.locator('p.writer').innerText()).toBe('Written by the extractive writer.');

    // No script element came from the data, none ran, no dialog opened.
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);

    // And back to the archive through the page's own link.
    await page.getByRole('link', { name: '← All briefs' }).click();
    await page.waitForURL(`${srv.url}/briefs`);
    await page.close();
  });
});

/** Wider than the window: something would make the reader scroll sideways. */
const overflowsHorizontally = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');
/** What the browser knows of a loaded <img> (the tests' tsconfig has no DOM types). */
type LoadedImage = { complete: boolean; naturalWidth: number; naturalHeight: number };

describe('the market card in a browser', () => {
  it('loads the card at the top of the brief and in the archive, on a phone (390 px) and a desktop (1280 px), with nothing overflowing', async () => {
    const cardDb = tempDb();
    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.json', import.meta.url), 'utf8')));
    const runId = insertRun(cardDb.db, snapshot, 'test', new Date('2025-11-27T06:31:00.000Z'));
    const long = 'Mars Morning News | ETH returns to $3,000, Nasdaq wants to lift limits on BlackRock Bitcoin ETF options trading';
    const id = insertBrief(cardDb.db, runId, makeBrief('2025-11-27T06:31:00.000Z', { title: long, dataAsOf: snapshot.takenAt, direction: 'up' }), [], { tokensIn: null, tokensOut: null, costUsd: null });
    storeBrief(cardDb.db, makeBrief('2025-11-26T06:31:00.000Z'));
    const cardSrv = await startTestServer(cardDb.db);
    mkdirSync(SCREENSHOTS, { recursive: true });
    try {
      const found = await findChromium();
      for (const width of [390, 1280]) {
        // A browser per width: the npm Chromium runs single-process and ends with its last page.
        const own = await chromium.launch({ executablePath: found.executablePath, args: found.args, timeout: 60_000 });
        const page = await own.newPage({ viewport: { width, height: 900 } });
        await page.goto(`${cardSrv.url}/briefs/${id}`);
        const card = page.locator('figure.card img');
        await expect.poll(() => card.evaluate((img) => (img as unknown as LoadedImage).complete && (img as unknown as LoadedImage).naturalWidth)).toBe(1200);
        expect(await card.evaluate((img) => (img as unknown as LoadedImage).naturalHeight)).toBe(675);
        // The card is the first thing under the title, as wide as the text column.
        const box = (await card.boundingBox())!;
        const paragraph = (await page.locator('p.paragraph').boundingBox())!;
        expect(box.y).toBeLessThan(paragraph.y);
        expect(box.width).toBeGreaterThan(width * 0.5);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(await page.locator('ul.tiles li').count()).toBeGreaterThanOrEqual(9);
        expect(await overflowsHorizontally(page)).toBe(false);
        await page.screenshot({ path: join(SCREENSHOTS, `brief-${width}.png`), fullPage: true });

        await page.goto(`${cardSrv.url}/briefs`);
        const thumbs = page.locator('ol.archive .thumb img');
        expect(await thumbs.count()).toBe(1);
        await expect.poll(() => thumbs.first().evaluate((img) => (img as unknown as LoadedImage).complete && (img as unknown as LoadedImage).naturalWidth)).toBe(1200);
        expect(await overflowsHorizontally(page)).toBe(false);
        await page.screenshot({ path: join(SCREENSHOTS, `archive-${width}.png`), fullPage: true });
        await own.close();
      }
    } finally {
      await cardSrv.close();
      cardDb.cleanup();
    }
  });
});
