/**
 * Farside as it really is: the /btc/ page's table (issuer row, ticker row with "Total", fee
 * row, one row per US trading day, red parenthesised outflows, summary rows), with market
 * holidays written as "-" in every fund and 0.0 in Total, days that are only partly in, and
 * funds added over time.
 */
import { describe, expect, it } from 'vitest';
import { etfFlowsSource, parseFarsideFlows } from '../../src/sources/etf-flows.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { testContext } from '../fakes/sources-server.ts';
import { makeInput, SNAPSHOT } from '../writers/llm-fixtures.ts';

const TICKERS = ['IBIT', 'FBTC', 'BITB', 'ARKB', 'BTCO', 'EZBC', 'BRRR', 'HODL', 'BTCW', 'GBTC', 'BTC'];
const ISSUERS = ['Blackrock', 'Fidelity', 'Bitwise', 'Ark', 'Invesco', 'Franklin', 'Valkyrie', 'VanEck', 'WTree', 'Grayscale', 'Grayscale'];

const span = (t: string) => (t.startsWith('(') ? `<span class="redFont">${t}</span>` : `<span class="tabletext">${t}</span>`);

/** A page shaped like farside.co.uk/btc/ (rows: date, one cell per ticker, Total). */
function page(rows: string[][], tickers = TICKERS, issuers = ISSUERS): string {
  const th = (t: string) => `<th>${span(t)}</th>`;
  const td = (t: string) => `<td>${span(t)}</td>`;
  return `<!DOCTYPE html><html lang="en-GB"><head><title>Bitcoin ETF Flow &#8211; Farside Investors</title></head><body>
<div class="entry-content"><p><strong>Bitcoin ETF Flow (US$m)</strong></p>
<figure class="wp-block-table"><table class="etf"><thead>
<tr>${th('&nbsp;')}${issuers.map(th).join('')}${th('&nbsp;')}</tr>
<tr>${th('&nbsp;')}${tickers.map(th).join('')}${th('Total')}</tr>
<tr>${th('Fee')}${tickers.map(() => th('0.25%')).join('')}${th('&nbsp;')}</tr>
</thead><tbody>
${rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n')}
<tr>${td('Total')}${tickers.map(() => td('1,234.5')).join('')}${td('57,708.1')}</tr>
<tr>${td('Average')}${tickers.map(() => td('2.1')).join('')}${td('118.3')}</tr>
<tr>${td('Maximum')}${tickers.map(() => td('1,120.0')).join('')}${td('1,373.8')}</tr>
<tr>${td('Minimum')}${tickers.map(() => td('(1,000.0)')).join('')}${td('(1,113.7)')}</tr>
</tbody></table></figure><p>Source: Farside Investors</p></div></body></html>`;
}

const dash = (n: number) => Array.from({ length: n }, () => '-');
/** Late Nov 2025, as Farside showed it: Thanksgiving (27 Nov) shut, 28 Nov a half day. */
const WEEK = [
  ['24 Nov 2025', '(45.6)', '(8.4)', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '(97.1)', '0.0', '(151.1)'],
  ['25 Nov 2025', '(100.3)', '0.0', '0.0', '(22.6)', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '(122.9)'],
  ['26 Nov 2025', '100.2', '0.0', '12.3', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '16.2', '128.7'],
  ['27 Nov 2025', ...dash(11), '0.0'],
];

describe('parseFarsideFlows on real-shaped tables', () => {
  it('skips a holiday as the latest row: the latest session is the day before, not "$0.0 million"', () => {
    const flows = parseFarsideFlows(page(WEEK));
    expect(flows.at(-1)).toEqual({ date: '2025-11-26', totalUsdM: 128.7, preliminary: false, reported: 11, funds: 11 });
    expect(flows.map((f) => f.date)).not.toContain('2025-11-27');
    expect(flows.at(-2)?.totalUsdM).toBe(-122.9);
  });

  it('keeps a holiday in the middle out of the series, so "previous" is the session before', () => {
    const rows = [...WEEK, ['28 Nov 2025', '70.1', '1.2', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '71.3']];
    const flows = parseFarsideFlows(page(rows));
    expect(flows.slice(-2).map((f) => [f.date, f.totalUsdM])).toEqual([['2025-11-26', 128.7], ['2025-11-28', 71.3]]);
  });

  it('marks a partly reported day preliminary, with how many funds are in', () => {
    const rows = [...WEEK.slice(0, 3), ['28 Nov 2025', '70.1', '-', '-', '0.0', '-', '-', '-', '-', '-', '0.0', '-', '70.1']];
    expect(parseFarsideFlows(page(rows)).at(-1)).toEqual({ date: '2025-11-28', totalUsdM: 70.1, preliminary: true, reported: 3, funds: 11 });
  });

  it('finds Total by its header when a new fund column is added before it', () => {
    const tickers = [...TICKERS, 'MSBT'];
    const issuers = [...ISSUERS, 'Morgan Stanley'];
    const rows = [['26 Nov 2025', '100.2', '0.0', '12.3', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '16.2', '5.0', '133.7']];
    expect(parseFarsideFlows(page(rows, tickers, issuers))).toMatchObject([{ date: '2025-11-26', totalUsdM: 133.7, funds: 12 }]);
  });
});

describe('the ETF flows source and the brief', () => {
  const dataUrl = (html: string) => `data:text/html,${encodeURIComponent(html)}`;

  it('reports the session before a holiday, dated that session', async () => {
    const result = await etfFlowsSource({ btcUrl: dataUrl(page(WEEK)), ethUrl: dataUrl(page(WEEK)) }).run(testContext());
    expect(result.indicators?.[0]).toMatchObject({ id: 'etf_flow_btc', value: 128.7, previous: -122.9, asOf: '2025-11-26T00:00:00.000Z' });
    expect(result.indicators?.[0]?.preliminary).toBeUndefined();
  });

  it('says a partly reported day is preliminary, in the data and in the brief', async () => {
    const rows = [...WEEK.slice(0, 3), ['27 Nov 2025', '70.1', '-', '-', '0.0', '-', '-', '-', '-', '-', '0.0', '-', '70.1']];
    const result = await etfFlowsSource({ btcUrl: dataUrl(page(rows)), ethUrl: dataUrl(page(WEEK)) }).run(testContext());
    const btc = result.indicators!.find((i) => i.id === 'etf_flow_btc')!;
    expect(btc).toMatchObject({ value: 70.1, preliminary: true, detail: '2025-11-27 (preliminary: 3 of 11 funds reported)' });
    const snapshot = { ...SNAPSHOT, indicators: [...SNAPSHOT.indicators.filter((i) => !i.id.startsWith('etf_flow')), btc] };
    const etf = writeExtractive(makeInput({ snapshot })).items.find((i) => i.section === 'etf' && i.storyIds.length === 0)!;
    expect(etf.text).toBe('US spot bitcoin ETFs saw net inflows of $70.1 million in the latest session (preliminary: not every fund has reported yet), according to Farside.');
  });
});
