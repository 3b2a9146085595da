/** The card's small charts as satori <svg> nodes: the sparkline, the Fear & Greed gauge, the flow bars. */
import { type Node, el } from './node.ts';
import { THEME } from './theme.ts';

const r2 = (n: number) => Math.round(n * 100) / 100;

/**
 * A 7-day line with a faint area under it; green when it ends above where it began.
 * @example sparkline([1, 2, 3], 180, 60)
 */
export function sparkline(prices: readonly number[], width: number, height: number): Node {
  const min = Math.min(...prices);
  const max = Math.max(...prices);
  const span = max - min || 1;
  const pad = 3;
  const x = (i: number) => r2((i / (prices.length - 1)) * width);
  const y = (p: number) => r2(pad + (1 - (p - min) / span) * (height - 2 * pad));
  const line = prices.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i)} ${y(p)}`).join(' ');
  const colour = prices.at(-1)! >= prices[0]! ? THEME.up : THEME.down;
  return el('svg', { width, height, viewBox: `0 0 ${width} ${height}` }, [
    el('path', { d: `${line} L${width} ${height} L0 ${height} Z`, fill: colour, 'fill-opacity': 0.14 }),
    el('path', { d: line, fill: 'none', stroke: colour, 'stroke-width': 2.5, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }),
    el('circle', { cx: x(prices.length - 1) - 3, cy: y(prices.at(-1)!), r: 4, fill: colour }),
  ]);
}

/** A point on the gauge's arc: 0 at the left end, 100 at the right. */
function arcPoint(cx: number, cy: number, radius: number, value: number): [number, number] {
  const angle = Math.PI * (1 - value / 100);
  return [r2(cx + radius * Math.cos(angle)), r2(cy - radius * Math.sin(angle))];
}

/** The five Fear & Greed bands as arc segments, and a needle at `value`. */
export function fearGreedGauge(value: number, yesterday: number | null, width: number): Node {
  const height = Math.round(width / 2) + 10;
  const cx = width / 2;
  const cy = height - 6;
  const radius = width / 2 - 14;
  const bands: Array<[number, number, string]> = [
    [0, 25, THEME.fear.extremeFear],
    [25, 45, THEME.fear.fear],
    [45, 55, THEME.fear.neutral],
    [55, 75, THEME.fear.greed],
    [75, 100, THEME.fear.extremeGreed],
  ];
  const segments = bands.map(([from, to, colour]) => {
    const [x1, y1] = arcPoint(cx, cy, radius, from + 0.8);
    const [x2, y2] = arcPoint(cx, cy, radius, to - 0.8);
    return el('path', { d: `M${x1} ${y1} A${radius} ${radius} 0 0 1 ${x2} ${y2}`, fill: 'none', stroke: colour, 'stroke-width': 16, 'stroke-linecap': 'butt' });
  });
  const [nx, ny] = arcPoint(cx, cy, radius - 26, value);
  const marks: Node[] = [];
  if (yesterday !== null) {
    const [ox, oy] = arcPoint(cx, cy, radius + 12, yesterday);
    const [ix, iy] = arcPoint(cx, cy, radius - 12, yesterday);
    // Yesterday: a thin tick across the arc, so the move since is visible.
    marks.push(el('path', { d: `M${ox} ${oy} L${ix} ${iy}`, stroke: THEME.text, 'stroke-opacity': 0.75, 'stroke-width': 3, 'stroke-linecap': 'round' }));
  }
  return el('svg', { width, height, viewBox: `0 0 ${width} ${height}` }, [
    ...segments,
    ...marks,
    el('path', { d: `M${cx} ${cy} L${nx} ${ny}`, stroke: THEME.text, 'stroke-width': 5, 'stroke-linecap': 'round' }),
    el('circle', { cx, cy, r: 9, fill: THEME.text }),
  ]);
}

/**
 * Daily net flows as bars around a zero line, one per equal slot; `scale` is the largest
 * absolute flow on the card, so BTC and ETH bars compare.
 */
export function flowBars(flows: readonly number[], slots: number, scale: number, width: number, height: number): Node {
  const mid = height / 2;
  const slot = width / slots;
  const barWidth = Math.min(44, slot * 0.56);
  const bars = flows.map((f, i) => {
    const h = Math.max(2, (Math.abs(f) / (scale || 1)) * (mid - 2));
    const x = r2(slot * i + (slot - barWidth) / 2);
    return el('rect', { x, y: r2(f >= 0 ? mid - h : mid), width: r2(barWidth), height: r2(h), rx: 3, fill: f >= 0 ? THEME.up : THEME.down });
  });
  return el('svg', { width, height, viewBox: `0 0 ${width} ${height}` }, [
    el('path', { d: `M0 ${mid} L${width} ${mid}`, stroke: THEME.border, 'stroke-width': 1.5 }),
    ...bars,
  ]);
}
