/**
 * How long the market card takes to draw: the bundled snapshot's card, first (cold: module
 * load, fonts, layout engine) and then RUNS warm renders, with the satori (layout) and resvg
 * (rasterise) shares and memory. Target: median <= 250 ms per card. Run: npm run bench:card
 */
import { readFileSync } from 'node:fs';
import { cardDataFrom } from '../src/card/data.ts';
import { renderCard, renderCardSvg } from '../src/card/render.ts';
import { SnapshotSchema } from '../src/domain.ts';

const RUNS = Number(process.env.CARD_BENCH_RUNS ?? 30);
const TARGET_MS = 250;

const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../examples/snapshot.json', import.meta.url), 'utf8')));
const data = cardDataFrom({ name: 'Morning Brief', dataAsOf: snapshot.takenAt, direction: 'up' }, snapshot);
if (!data) throw new Error('the bundled snapshot has no history: no card to draw');

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const rssBefore = process.memoryUsage().rss;
let t = performance.now();
const first = await renderCard(data);
const coldMs = performance.now() - t;

const total: number[] = [];
const layout: number[] = [];
let peakRss = process.memoryUsage().rss;
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  await renderCardSvg(data);
  layout.push(performance.now() - t);
  t = performance.now();
  const png = await renderCard(data);
  total.push(performance.now() - t);
  if (png.length !== first.length) throw new Error('the card changed between renders');
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
total.sort((a, b) => a - b);
layout.sort((a, b) => a - b);
const median = quantile(total, 0.5);

console.log(`market card, ${RUNS} warm renders of the bundled snapshot (1200x675, ${Math.round(first.length / 1024)} KB PNG)`);
console.log(`  cold first render  ${coldMs.toFixed(0)} ms (module load, fonts, layout engine)`);
console.log(`  per card           median ${median.toFixed(0)} ms, p95 ${quantile(total, 0.95).toFixed(0)} ms, min ${total[0]!.toFixed(0)} ms`);
console.log(`  of which layout    median ${quantile(layout, 0.5).toFixed(0)} ms (satori to SVG; the rest is resvg to PNG)`);
console.log(`  memory             rss ${mb(rssBefore)} before, peak ${mb(peakRss)}; heap used ${mb(process.memoryUsage().heapUsed)}`);
console.log(`  target             median <= ${TARGET_MS} ms: ${median <= TARGET_MS ? 'met' : 'NOT met'}`);
