import { beforeEach, describe, expect, it } from 'vitest';
import { etfFlowsSource, parseFarsideFlows, parseFlow } from '../../src/sources/etf-flows.ts';
import { useSourcesServer, configFor, testContext, type SourcesServer } from '../fakes/sources-server.ts';

const fixture = useSourcesServer();
let server: SourcesServer;
beforeEach(() => {
  server = fixture.server;
});

const source = () => etfFlowsSource(configFor(server).sources.etfFlows);

describe('etf flows source', () => {
  it("takes the latest day's Total (parenthesised negatives, thousands commas), skipping days not yet in", async () => {
    const result = await source().run(testContext());
    expect(result.warning ?? null).toBeNull();
    expect(result.indicators).toEqual([
      {
        id: 'etf_flow_btc',
        label: 'Bitcoin spot ETF net flow',
        value: -14.9,
        unit: 'usd_millions',
        previous: 1234.5,
        classification: null,
        detail: '2025-12-03',
        source: 'farside',
        asOf: '2025-12-03T00:00:00.000Z',
        history: expect.any(Array),
      },
      expect.objectContaining({ id: 'etf_flow_eth', value: 64.5, previous: -32.5, detail: '2025-12-03' }),
    ]);
    // Up to five sessions, oldest first, ending with the latest: the card's flow bars.
    const history = result.indicators![0]!.history!;
    expect(history.length).toBeGreaterThanOrEqual(2);
    expect(history.length).toBeLessThanOrEqual(5);
    expect(history.slice(-2)).toEqual([{ asOf: '2025-12-02T00:00:00.000Z', value: 1234.5 }, { asOf: '2025-12-03T00:00:00.000Z', value: -14.9 }]);
  });

  it('says "blocked" when the site answers with its bot wall', async () => {
    server.setMode('etfBtc', '403');
    server.setMode('etfEth', '403');
    await expect(source().run(testContext())).rejects.toThrow(/^blocked: BTC: HTTP 403, bot wall .*ETH: HTTP 403, bot wall/);
  });

  it('keeps ETH when only the BTC page is blocked, with a warning', async () => {
    server.setMode('etfBtc', '403');
    const result = await source().run(testContext());
    expect(result.indicators?.map((i) => i.id)).toEqual(['etf_flow_eth']);
    expect(result.warning).toMatch(/^BTC: blocked: HTTP 403/);
  });

  it('fails with a SchemaError when the page has no flows table', async () => {
    server.setMode('etfBtc', 'wrong-shape');
    server.setMode('etfEth', 'wrong-shape');
    await expect(source().run(testContext())).rejects.toThrow(/unexpected data from Farside.*no table of daily flows/);
  });

  it('recognises a challenge page served with 200 as blocked', async () => {
    const html = '<html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/x"></script></body></html>';
    await expect(
      etfFlowsSource({ btcUrl: `data:text/html,${encodeURIComponent(html)}`, ethUrl: `data:text/html,${encodeURIComponent(html)}` }).run(testContext()),
    ).rejects.toThrow(/^blocked: .*bot challenge page/);
  });

  it('parses flow cells the way Farside writes them', () => {
    expect(parseFlow('(95.1)')).toBe(-95.1);
    expect(parseFlow('1,234.5')).toBe(1234.5);
    expect(parseFlow('-')).toBeNull();
    expect(parseFlow('')).toBeNull();
    expect(parseFlow('0.0')).toBe(0);
  });

  it('finds the Total column by its header, not by position', () => {
    const html = `<table><tr><th>Date</th><th>Total</th><th>IBIT</th></tr>
      <tr><td>02 Jan 2025</td><td>(5.0)</td><td>7.0</td></tr><tr><td>03 Jan 2025</td><td>12.5</td><td>(1.0)</td></tr></table>`;
    expect(parseFarsideFlows(html)).toMatchObject([
      { date: '2025-01-02', totalUsdM: -5, preliminary: false },
      { date: '2025-01-03', totalUsdM: 12.5, preliminary: false },
    ]);
  });
});
