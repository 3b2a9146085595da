/**
 * The zh extractive writer's market sentences and market line, from templates in natural
 * Chinese: prices and 24h moves, Fear & Greed, fed funds, the 10-year yield, FOMC odds and
 * ETF flows, large amounts in 万/亿. Only the figures it is given (already judged current).
 */
import { INDICATOR_IDS, type BriefItem, type Indicator, type Quote, type Snapshot } from '../../domain.ts';
import { formatZhChange, formatZhPrice, formatZhUsd } from '../numbers-zh.ts';

/** Chinese names of the coins a brief usually quotes; others keep their ticker. */
const COIN_ZH: Readonly<Record<string, string>> = { BTC: '比特币', ETH: '以太坊', SOL: 'SOL', XRP: 'XRP', BNB: 'BNB' };

/** Alternative.me's classifications in the words Chinese outlets use. */
const SENTIMENT_ZH: Readonly<Record<string, string>> = {
  'extreme fear': '极度恐慌',
  fear: '恐慌',
  neutral: '中性',
  greed: '贪婪',
  'extreme greed': '极度贪婪',
};

const find = (snapshot: Snapshot, id: string): Indicator | undefined => snapshot.indicators.find((i) => i.id === id);
const pct = (n: number): string => `${n.toFixed(2)}%`;
const signed = (n: number): string => `${n > 0 ? '+' : ''}${n.toFixed(1)}%`;

export function coinNameZh(q: Pick<Quote, 'symbol'>): string {
  return COIN_ZH[q.symbol.toUpperCase()] ?? q.symbol.toUpperCase();
}

export function sentimentZh(classification: string | null): string | null {
  return classification ? (SENTIMENT_ZH[classification.trim().toLowerCase()] ?? null) : null;
}

/**
 * A Polymarket outcome in Chinese: "25 bps decrease" -> "降息25个基点", "No change" -> "维持利率不变".
 * @example fomcOutcomeZh('50+ bps decrease') // => '降息50个基点及以上'
 */
export function fomcOutcomeZh(outcome: string | null): string | null {
  if (!outcome) return null;
  if (/no change/iu.test(outcome)) return '维持利率不变';
  const m = /(\d+)(\+)?\s*bps?\s*(decrease|cut|increase|hike)/iu.exec(outcome);
  if (!m) return null;
  const verb = /decrease|cut/iu.test(m[3]!) ? '降息' : '加息';
  return `${verb}${m[1]}个基点${m[2] ? '及以上' : ''}`;
}

/** "比特币现报91,235美元，24小时上涨1.6%。" */
function quoteSentence(q: Quote): string {
  const move = q.change24hPct === null ? '' : `，24小时${formatZhChange(q.change24hPct)}`;
  return `${coinNameZh(q)}现报${formatZhPrice(q.priceUsd)}${move}。`;
}

/** The market sentences of the paragraph, in the brief's section order (macro, prices, etf). */
export function marketItemsZh(snapshot: Snapshot): BriefItem[] {
  const items: BriefItem[] = [];
  const add = (text: string, section: BriefItem['section']): void => void items.push({ text, storyIds: [], section });

  const fed = find(snapshot, INDICATOR_IDS.fedFunds);
  const us10y = find(snapshot, INDICATOR_IDS.us10y);
  if (fed && us10y) add(`美国有效联邦基金利率为${pct(fed.value)}，10年期美债收益率为${pct(us10y.value)}。`, 'macro');
  else if (fed) add(`美国有效联邦基金利率为${pct(fed.value)}。`, 'macro');
  else if (us10y) add(`10年期美债收益率为${pct(us10y.value)}。`, 'macro');

  const odds = find(snapshot, INDICATOR_IDS.fomcOdds);
  const outcome = fomcOutcomeZh(odds?.classification ?? null);
  if (odds && outcome) {
    const month = odds.validUntil ? `${new Date(odds.validUntil).getUTCMonth() + 1}月` : '下次';
    add(`Polymarket数据显示，市场预计美联储${month}议息会议${outcome}的概率为${Math.round(odds.value * 100)}%。`, 'macro');
  }

  const [first, second, ...rest] = snapshot.quotes;
  for (const q of [first, second]) if (q) add(quoteSentence(q), 'prices');
  if (rest.length > 0) {
    add(`${rest.map((q) => `${coinNameZh(q)}报${formatZhPrice(q.priceUsd)}${q.change24hPct === null ? '' : `（${signed(q.change24hPct)}）`}`).join('，')}。`, 'prices');
  }

  const fg = find(snapshot, INDICATOR_IDS.fearGreed);
  if (fg) {
    const mood = sentimentZh(fg.classification);
    const before = fg.previous === null ? '' : `，前一日为${fg.previous}`;
    add(`加密货币恐慌与贪婪指数为${fg.value}${mood ? `（${mood}）` : ''}${before}。`, 'prices');
  }

  const flows = [
    [find(snapshot, INDICATOR_IDS.etfFlowBtc), '比特币'],
    [find(snapshot, INDICATOR_IDS.etfFlowEth), '以太坊'],
  ] as const;
  const parts = flows.flatMap(([ind, coin]) => {
    if (!ind) return [];
    const usd = ind.value * 1e6;
    const dir = usd >= 0 ? '净流入' : '净流出';
    return [`美国现货${coin}ETF${dir}${formatZhUsd(Math.abs(usd))}`];
  });
  if (parts.length > 0) add(`据Farside数据，上一交易日${parts.join('，')}。`, 'etf');
  return items;
}

/**
 * "BTC 91,235美元（+1.6%）· ETH 3,012美元（+3.4%）· 恐慌与贪婪指数 25（恐慌）"
 * @example buildMarketLineZh(snapshot)
 */
export function buildMarketLineZh(snapshot: Snapshot): string {
  const parts = snapshot.quotes.slice(0, 3).map((q) => `${q.symbol.toUpperCase()} ${formatZhPrice(q.priceUsd)}${q.change24hPct === null ? '' : `（${signed(q.change24hPct)}）`}`);
  const fg = find(snapshot, INDICATOR_IDS.fearGreed);
  if (fg) {
    const mood = sentimentZh(fg.classification);
    parts.push(`恐慌与贪婪指数 ${fg.value}${mood ? `（${mood}）` : ''}`);
  }
  return parts.length > 0 ? parts.join(' · ') : '暂无行情数据';
}

/** A market lead for the title when there are fewer than two stories: "比特币报91,235美元". */
export function marketLeadsZh(snapshot: Snapshot): string[] {
  return snapshot.quotes.slice(0, 2).map((q) => `${coinNameZh(q)}报${formatZhPrice(q.priceUsd)}`);
}
