/**
 * The zh brief's notes in plain Chinese: which source gave nothing this morning (by its
 * reader's name, never a status code), which figures were left out as out of date, and when
 * there was no market data or news at all.
 */
import type { Snapshot, Story } from '../../domain.ts';
import { judgeFreshness, type FreshnessRules } from '../freshness.ts';

const SUBJECTS: Readonly<Record<string, string>> = {
  coingecko: 'CoinGecko 价格数据',
  binance: 'Binance 价格数据',
  fear_greed: '恐慌与贪婪指数',
  fred: 'FRED 利率数据',
  polymarket: 'Polymarket 议息预测',
  etf_flows: 'Farside ETF 资金流数据',
};

const FIGURES: Readonly<Record<string, string>> = {
  fear_greed: '恐慌与贪婪指数',
  fed_funds: '联邦基金利率',
  us10y: '10年期美债收益率',
  fomc_odds: '议息会议概率',
  etf_flow_btc: '比特币ETF资金流',
  etf_flow_eth: '以太坊ETF资金流',
};

/** "CoinGecko 价格数据", "Odaily 新闻" (a feed by its configured name when the snapshot's headlines carry it). */
export function subjectZh(statusId: string, snapshot: Snapshot): string {
  const known = SUBJECTS[statusId];
  if (known) return known;
  if (statusId.startsWith('feed:')) {
    const id = statusId.slice('feed:'.length);
    const name = snapshot.headlines.find((h) => h.source === id)?.sourceName ?? id;
    return `${name} 新闻`;
  }
  return statusId;
}

/** @example notesZh(snapshot, stories, rules) // ['Farside ETF 资金流数据本次未能获取。'] */
export function notesZh(snapshot: Snapshot, stories: readonly Story[], rules: Readonly<FreshnessRules>): string[] {
  const notes = snapshot.statuses.filter((s) => !s.ok).map((s) => `${subjectZh(s.id, snapshot)}本次未能获取。`);
  const stale = judgeFreshness(snapshot, rules).stale;
  const staleQuotes = stale.filter((s) => s.kind === 'quote').length;
  if (staleQuotes > 0) notes.push(`${staleQuotes} 个币种的价格已过时，未写入本简报。`);
  for (const s of stale.filter((x) => x.kind === 'indicator')) notes.push(`${FIGURES[s.id] ?? s.id}数据已过时，未写入本简报。`);
  if (snapshot.quotes.length === 0) notes.push('本次未获取到行情数据。');
  if (stories.length === 0) notes.push('本次未获取到新闻。');
  return [...new Set(notes)];
}
