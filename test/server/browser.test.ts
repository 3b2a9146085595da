/**
 * What a reader sees: the archive opened in headless Chromium (Debian's `chromium` when
 * installed, else the one npm installs; see test/helpers/chromium.ts), driven by
 * playwright-core, clicked through to a brief.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../helpers/chromium.ts';
import { HOSTILE, makeBrief, startTestServer, storeBrief, tempDb, type Running, type TestDb } from './helpers.ts';


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
