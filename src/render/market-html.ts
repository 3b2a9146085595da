/** The brief page's market tiles in HTML (text a reader can copy and a screen reader can read), from the card's data. */
import type { CardData } from '../card/data.ts';
import { formatChange, formatFlow, formatPrice } from '../card/format.ts';
import { escapeHtml } from './html-page.ts';

const sign = (n: number | null) => (n === null || n === 0 ? '' : n > 0 ? 'pos' : 'neg');

function tile(key: string, value: string, detail: string, valueClass = ''): string {
  return `<li class="tile"><div class="k">${escapeHtml(key)}</div><div class="v${valueClass ? ` ${valueClass}` : ''}">${escapeHtml(value)}</div>${
    detail ? `<div class="d">${detail}</div>` : ''
  }</li>`;
}

/**
 * A tile per coin, then Fear & Greed, ETF flows and rates; a missing figure has no tile.
 * @example renderMarketTiles(cards.data(7)!) // '<ul class="tiles">…</ul>'
 */
export function renderMarketTiles(data: CardData): string {
  const tiles: string[] = [];
  for (const c of data.coins) {
    const change = c.change24hPct === null ? '24h n/a' : `<span class="${sign(c.change24hPct)}">${escapeHtml(formatChange(c.change24hPct))}</span> 24h`;
    tiles.push(tile(c.name.toUpperCase() === c.symbol ? c.symbol : `${c.symbol} · ${c.name}`, formatPrice(c.priceUsd), change));
  }
  const fg = data.fearGreed;
  if (fg) {
    const yesterday = fg.yesterday === null ? '' : ` · yesterday ${Math.round(fg.yesterday)}`;
    tiles.push(tile('Fear & Greed', String(Math.round(fg.value)), escapeHtml(`${fg.classification ?? ''}${yesterday}`)));
  }
  for (const s of data.etf?.series ?? []) {
    const last = s.bars.at(-1)!;
    tiles.push(tile(`${s.asset} spot ETFs`, formatFlow(last.usdM), escapeHtml(`${last.date}${s.preliminary ? ' (preliminary)' : ''}`), sign(last.usdM)));
  }
  const m = data.macro;
  if (m?.fedFundsPct != null) tiles.push(tile('Fed funds', `${m.fedFundsPct.toFixed(2)}%`, 'effective rate'));
  if (m?.us10yPct != null) tiles.push(tile('10-year Treasury', `${m.us10yPct.toFixed(2)}%`, m.us10yPreviousPct === null ? '' : escapeHtml(`prior ${m.us10yPreviousPct.toFixed(2)}%`)));
  if (m?.fomc) tiles.push(tile('Next FOMC', `${Math.round(m.fomc.probability * 100)}%`, escapeHtml(m.fomc.outcome), 'odds'));
  return tiles.length > 0 ? `<ul class="tiles">${tiles.join('')}</ul>` : '';
}
