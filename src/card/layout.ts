/** The card's layout as a satori tree: header, a tile per coin, then Fear & Greed, ETF flows and rates. */
import { fearGreedGauge, flowBars, sparkline } from './charts.ts';
import type { CardData, CoinTile, EtfTile, FearGreedTile, MacroTile } from './data.ts';
import { formatCardDate, formatChange, formatFlow, formatPrice, formatSession } from './format.ts';
import { type Node, type Style, box, text } from './node.ts';
import { CARD_HEIGHT, CARD_WIDTH, THEME } from './theme.ts';

const PAD_X = 40;
const INNER = CARD_WIDTH - 2 * PAD_X - 4;
const GAP = 14;

const panel = (style: Style): Style => ({
  flexDirection: 'column',
  backgroundColor: THEME.panel,
  border: `1px solid ${THEME.border}`,
  borderRadius: 16,
  padding: '16px 18px',
  boxSizing: 'border-box',
  ...style,
});

const label = (value: string, style: Style = {}) =>
  text(value.toUpperCase(), { fontSize: 14, fontWeight: 600, letterSpacing: 1.2, color: THEME.muted, ...style });

const changeColour = (pct: number | null) => (pct === null || pct === 0 ? THEME.muted : pct > 0 ? THEME.up : THEME.down);

function coinTile(coin: CoinTile, width: number): Node {
  const inner = width - 36;
  const priceSize = formatPrice(coin.priceUsd).length > 9 ? 26 : 30;
  return box(panel({ width, height: 218, justifyContent: 'space-between' }), [
    box({ justifyContent: 'space-between', alignItems: 'baseline' }, [
      text(coin.symbol, { fontSize: 22, fontWeight: 700, color: THEME.text }),
      text(coin.name, { fontSize: 15, color: THEME.muted, maxWidth: inner - 70, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }),
    ]),
    box({ flexDirection: 'column' }, [
      text(formatPrice(coin.priceUsd), { fontSize: priceSize, fontWeight: 700, color: THEME.text, letterSpacing: -0.5 }),
      coin.change24hPct === null
        ? text('24h change n/a', { fontSize: 17, color: THEME.muted })
        : box({ alignItems: 'baseline' }, [
            text(formatChange(coin.change24hPct), { fontSize: 19, fontWeight: 600, color: changeColour(coin.change24hPct) }),
            text('24h', { fontSize: 14, color: THEME.muted, marginLeft: 7 }),
          ]),
    ]),
    coin.sparkline.length >= 2
      ? box({ flexDirection: 'column' }, [sparkline(coin.sparkline, inner, 62), text('7 days, hourly', { fontSize: 12, color: THEME.faint, marginTop: 4 })])
      : text('no 7-day history', { fontSize: 13, color: THEME.faint, height: 78, alignItems: 'flex-end' }),
  ]);
}

function fearGreedTile(fg: FearGreedTile, grow: number): Node {
  const gaugeWidth = 230;
  return box(panel({ flexGrow: grow, flexBasis: 0, alignItems: 'center' }), [
    label('Fear & Greed', { alignSelf: 'flex-start' }),
    box({ flexDirection: 'column', alignItems: 'center', marginTop: 8 }, [
      fearGreedGauge(fg.value, fg.yesterday, gaugeWidth),
      text(String(Math.round(fg.value)), { fontSize: 40, fontWeight: 700, color: THEME.text, marginTop: 8, lineHeight: 1 }),
    ]),
    text(fg.classification ?? '', { fontSize: 18, fontWeight: 600, color: THEME.text }),
    fg.yesterday === null ? null : text(`Yesterday ${Math.round(fg.yesterday)}`, { fontSize: 15, color: THEME.muted, marginTop: 4 }),
  ]);
}

function etfTile(etf: EtfTile, grow: number, width: number): Node {
  const scale = Math.max(...etf.series.flatMap((s) => s.bars.map((b) => Math.abs(b.usdM))));
  const slots = Math.max(...etf.series.map((s) => s.bars.length));
  const chartWidth = width - 36 - 118;
  const rowHeight = etf.series.length > 1 ? 72 : 130;
  const dates = (etf.series.find((s) => s.bars.length === slots) ?? etf.series[0]!).bars.map((b) => b.date);
  const rows = etf.series.map((s) => {
    const last = s.bars.at(-1)!;
    return box({ alignItems: 'center', marginTop: 8 }, [
      box({ flexDirection: 'column', width: 118 }, [
        text(`${s.asset} ETFs`, { fontSize: 15, color: THEME.muted }),
        text(formatFlow(last.usdM), { fontSize: 21, fontWeight: 700, color: last.usdM >= 0 ? THEME.up : THEME.down }),
        s.preliminary ? text('preliminary', { fontSize: 12, color: THEME.faint }) : null,
      ]),
      flowBars(s.bars.map((b) => b.usdM), slots, scale, chartWidth, rowHeight),
    ]);
  });
  return box(panel({ flexGrow: grow, flexBasis: 0 }), [
    box({ justifyContent: 'space-between' }, [label('Spot ETF net flows'), text(`last ${slots} sessions`, { fontSize: 13, color: THEME.faint })]),
    ...rows,
    box({ marginLeft: 118, marginTop: 6 }, dates.map((d) => text(formatSession(d), { width: chartWidth / slots, justifyContent: 'center', fontSize: 13, color: THEME.muted }))),
  ]);
}

function macroRow(name: string, value: string, note: string | null): Node {
  return box({ flexDirection: 'column', marginTop: 12 }, [
    text(name, { fontSize: 15, color: THEME.muted }),
    box({ alignItems: 'baseline' }, [
      text(value, { fontSize: 26, fontWeight: 700, color: THEME.text }),
      note ? text(note, { fontSize: 14, color: THEME.muted, marginLeft: 8 }) : null,
    ]),
  ]);
}

function macroTile(m: MacroTile, grow: number): Node {
  const tenYearNote =
    m.us10yPct !== null && m.us10yPreviousPct !== null
      ? `${formatChange(m.us10yPct - m.us10yPreviousPct).replace('%', '')} pts`
      : null;
  return box(panel({ flexGrow: grow, flexBasis: 0 }), [
    label('Rates & the Fed'),
    m.fedFundsPct === null ? null : macroRow('Fed funds rate', `${m.fedFundsPct.toFixed(2)}%`, null),
    m.us10yPct === null ? null : macroRow('10-year Treasury', `${m.us10yPct.toFixed(2)}%`, tenYearNote),
    m.fomc === null
      ? null
      : box({ flexDirection: 'column', marginTop: 12 }, [
          text('Next FOMC (Polymarket)', { fontSize: 15, color: THEME.muted }),
          box({ alignItems: 'baseline' }, [
            text(`${Math.round(m.fomc.probability * 100)}%`, { fontSize: 26, fontWeight: 700, color: THEME.accent }),
            text(m.fomc.outcome, { fontSize: 15, color: THEME.text, marginLeft: 8, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', maxWidth: 200 }),
          ]),
          box({ height: 6, width: '100%', backgroundColor: THEME.border, borderRadius: 3, marginTop: 4 }, [
            box({ height: 6, width: `${Math.round(m.fomc.probability * 100)}%`, backgroundColor: THEME.accent, borderRadius: 3 }, []),
          ]),
        ]),
  ]);
}

/**
 * The whole card: fixed size, every tile optional (a missing figure leaves its tile out).
 * @example const tree = cardLayout(data); const svg = await satori(tree, { width: CARD_WIDTH, height: CARD_HEIGHT, fonts });
 */
export function cardLayout(data: CardData): Node {
  const coins = data.coins;
  const coinWidth = coins.length > 0 ? Math.floor((INNER - GAP * (coins.length - 1)) / coins.length) : 0;
  const bottom: Array<{ grow: number; node: (width: number) => Node }> = [];
  if (data.fearGreed) bottom.push({ grow: 300, node: () => fearGreedTile(data.fearGreed!, 300) });
  if (data.etf) bottom.push({ grow: 460, node: (w) => etfTile(data.etf!, 460, w) });
  if (data.macro) bottom.push({ grow: 330, node: () => macroTile(data.macro!, 330) });
  const totalGrow = bottom.reduce((s, b) => s + b.grow, 0);
  const free = INNER - GAP * Math.max(0, bottom.length - 1);

  return box(
    {
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      boxSizing: 'border-box',
      flexDirection: 'column',
      backgroundColor: THEME.background,
      border: `2px solid ${THEME.frame}`,
      padding: `30px ${PAD_X}px 24px`,
      fontFamily: 'Inter',
      color: THEME.text,
    },
    [
      box({ justifyContent: 'space-between', alignItems: 'flex-end', marginBottom: 18 }, [
        box({ flexDirection: 'column', maxWidth: INNER - 240 }, [
          text(data.name, { fontSize: 34, fontWeight: 700, color: THEME.text, letterSpacing: -0.5, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }),
          text(formatCardDate(data.dataAsOf), { fontSize: 18, color: THEME.muted, marginTop: 2 }),
        ]),
        box({ alignItems: 'center', padding: '6px 14px', borderRadius: 999, border: `1px solid ${THEME.border}`, backgroundColor: THEME.panel }, [
          box({ width: 10, height: 10, borderRadius: 5, backgroundColor: THEME.accent, marginRight: 8 }, []),
          text('Market card', { fontSize: 15, fontWeight: 600, color: THEME.text }),
        ]),
      ]),
      coins.length === 0 ? null : box({ gap: GAP, marginBottom: 14 }, coins.map((c) => coinTile(c, coinWidth))),
      bottom.length === 0 ? null : box({ gap: GAP, flexGrow: 1 }, bottom.map((b) => b.node(Math.floor((free * b.grow) / totalGrow)))),
      box({ justifyContent: 'space-between', marginTop: 12 }, [
        text(`Sources: ${data.sources.join(' · ')}`, { fontSize: 14, color: THEME.faint }),
        text('Prices in US$ · flows in US$ millions', { fontSize: 14, color: THEME.faint }),
      ]),
    ],
  );
}
