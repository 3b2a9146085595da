/**
 * Clustering speed on synthetic but realistic headline sets (10k, 20k, 40k): a vocabulary
 * of 3,000 words drawn with a Zipf law, one or two names per story (Zipf over the rarer words), amounts
 * in many titles, and ~10% near-duplicates of earlier items from other outlets (a word
 * dropped, replaced or added, figures reformatted). Titles are word salad, so "clusters
 * mixing stories" over-counts what real headlines would show.
 * Each headline has a one-sentence summary (some of its story's words and a few others), as
 * feeds give, since the clusterer reads summaries too.
 * Prints best-of-3 ms per size (wall clock, and this process's CPU time, which a busy
 * shared machine disturbs less), growth per doubling (target <= 2.2x), and how well the
 * planted duplicates were found.
 *
 * Run: npx tsx bench/cluster.bench.ts   (BENCH_SIZES=10000,20000 for fewer sizes)
 */
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Headline } from '../src/domain.ts';
import { clusterHeadlines } from '../src/stories/cluster.ts';

/** mulberry32: a tiny seeded PRNG, so every run measures the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REAL_WORDS = `bitcoin ether crypto price market etf inflows outflows fed rate cut powell fomc
  inflation cpi treasury yields binance coinbase kraken okx bybit tether usdc stablecoin sec
  lawsuit regulator approval ban hack exploit drained phishing whales deposits onchain
  blackrock fidelity jpmorgan securitize nasdaq ibit options futures solana xrp cardano
  dogecoin memecoin altcoin rally slump surge plunge record high low traders investors
  liquidations leverage funding miners hashrate halving treasury company strategy saylor
  tokenization bonds banks payments wallet custody listing delisting token airdrop staking
  validators upgrade network fees layer rollup bridge defi lending protocol yield vault
  governance dao vote proposal court judge settlement fine charges fraud trial sentence
  congress senate bill stablecoins framework mica europe china hong kong japan korea dubai
  singapore russia sanctions belarus president central bank digital currency cbdc gold dollar
  stocks equities nvidia tariffs jobs payrolls unemployment recession growth gdp outlook
  forecast analysts report survey data shows says warns expects predicts plans launches
  unveils partners acquires raises funding valuation ipo shares earnings revenue profit loss
  quarter weekly monthly daily volume volatility options expiry open interest short squeeze`
  .split(/\s+/)
  .filter((w) => w !== '');

const FILLER = ['as', 'to', 'after', 'in', 'on', 'for', 'with', 'amid', 'over', 'the'];
const OUTLETS = ['coindesk', 'cointelegraph', 'theblock', 'decrypt', 'bitcoinmagazine', 'dlnews', 'blockworks', 'cryptoslate', 'beincrypto', 'forbes', 'reuters', 'bloomberg'];
const SYLLABLES = ['ka', 'lo', 'mi', 'zu', 'ter', 'ran', 'vex', 'dor', 'qui', 'sa', 'bel', 'nor', 'tis', 'gam', 'phi', 'lux', 'ove', 'ric', 'dyn', 'ast'];

interface Synthetic {
  headlines: Headline[];
  /** For each headline, the id of the story it was generated from. */
  story: number[];
  duplicates: number;
}

function generate(n: number, seed: number): Synthetic {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const vocabulary = [...REAL_WORDS];
  const seen = new Set(vocabulary);
  while (vocabulary.length < 3000) {
    const w = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(SYLLABLES)).join('');
    if (!seen.has(w)) {
      seen.add(w);
      vocabulary.push(w);
    }
  }
  // Zipf(1) over the vocabulary: a few words everywhere, a long tail of rare ones.
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= vocabulary.length; r++) cumulative.push((total += 1 / r));
  const zipf = (): string => {
    const x = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo] ?? 'crypto';
  };
  // Names follow a Zipf law of their own: a few everywhere (an exchange, a regulator), most
  // named a handful of times.
  const TAIL = 300;
  const tailCumulative: number[] = [];
  let tailTotal = 0;
  for (let r = 1; r <= vocabulary.length - TAIL; r++) tailCumulative.push((tailTotal += 1 / r));
  const entity = (): string => {
    const x = rand() * tailTotal;
    let lo = 0;
    let hi = tailCumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((tailCumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[TAIL + lo] ?? 'kraken';
  };
  const amount = (): [number, string] => {
    const v = 1 + Math.floor(rand() * 999);
    const unit = pick(['million', 'billion', '%']);
    return unit === '%' ? [v, `${v / 10}%`] : [v, `$${v} ${unit}`];
  };
  const reformat = (text: string): string =>
    text.replace(/\$(\d+) (million|billion)/, (_, v: string, u: string) => `$${v}${u === 'million' ? 'M' : 'B'}`);

  const base: string[][] = [];
  const headlines: Headline[] = [];
  const story: number[] = [];
  let duplicates = 0;
  const t0 = Date.parse('2025-11-27T07:00:00Z');
  for (let i = 0; i < n; i++) {
    let words: string[];
    let id: number;
    if (base.length > 10 && rand() < 0.1) {
      // A near-duplicate: another outlet's wording of an earlier story.
      id = Math.floor(rand() * base.length);
      words = [...(base[id] ?? [])];
      const edits = 1 + Math.floor(rand() * 2);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * words.length);
        if (rand() < 0.5) words.splice(at, 1, pick(FILLER));
        else words.splice(at, 0, zipf());
      }
      if (rand() < 0.5) words = words.map(reformat);
      duplicates++;
    } else {
      id = base.length;
      const length = 4 + Math.floor(rand() * 5);
      words = Array.from({ length }, () => (rand() < 0.2 ? pick(FILLER) : zipf()));
      // Real headlines name someone or something specific: one or two names.
      const entities = 1 + Math.floor(rand() * 2);
      for (let e = 0; e < entities; e++) words.splice(Math.floor(rand() * words.length), 0, entity());
      if (rand() < 0.4) words.splice(Math.floor(rand() * words.length), 0, amount()[1]);
      base.push(words);
    }
    const title = words.join(' ').replace(/^./, (c) => c.toUpperCase());
    // A summary: some of the story's own words, then a few of the outlet's.
    const own = (base[id] ?? words).filter(() => rand() < 0.6);
    const summary = [...own, ...Array.from({ length: 6 + Math.floor(rand() * 6) }, zipf)].join(' ');
    const source = pick(OUTLETS);
    headlines.push({
      title,
      url: `https://www.${source}.com/news/${i}-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60)}?utm_source=rss`,
      source,
      sourceName: source,
      publishedAt: new Date(t0 - Math.floor(rand() * 36 * 3_600_000)).toISOString(),
      summary: `${summary.replace(/^./, (c) => c.toUpperCase())}.`,
    });
    story.push(id);
  }
  return { headlines, story, duplicates };
}

// A collection before each timed run, so one run does not pay for the garbage of another.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function measure(size: number): { ms: number; cpuMs: number; clusters: number; found: number; duplicates: number; falseMerges: number } {
  const data = generate(size, 42 + size);
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let clusters = clusterHeadlines(data.headlines);
  for (let run = 0; run < 3; run++) {
    collect();
    const cpu = process.cpuUsage();
    const start = performance.now();
    clusters = clusterHeadlines(data.headlines);
    best = Math.min(best, performance.now() - start);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1000);
  }
  const storyOf = new Map(data.headlines.map((h, i) => [h, data.story[i] ?? -1]));
  const clusterOf = new Map<Headline, number>();
  clusters.forEach((c, k) => {
    for (const h of c.headlines) clusterOf.set(h, k);
  });
  // A planted duplicate is found when it shares a cluster with its story's first telling.
  const firstOfStory = new Map<number, Headline>();
  let found = 0;
  data.headlines.forEach((h, i) => {
    const id = data.story[i] ?? -1;
    const first = firstOfStory.get(id);
    if (first === undefined) firstOfStory.set(id, h);
    else if (clusterOf.get(first) === clusterOf.get(h)) found++;
  });
  let falseMerges = 0;
  for (const c of clusters) if (new Set(c.headlines.map((h) => storyOf.get(h))).size > 1) falseMerges++;
  return { ms: best, cpuMs: bestCpu, clusters: clusters.length, found, duplicates: data.duplicates, falseMerges };
}

const sizes = (process.env.BENCH_SIZES ?? "10000,20000,40000").split(",").map(Number);
const results = sizes.map((size) => ({ size, ...measure(size) }));
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const r of results) {
  console.log(
    `${String(r.size).padStart(6)} headlines: ${r.ms.toFixed(1).padStart(8)} ms wall, ${r.cpuMs.toFixed(1).padStart(8)} ms cpu (best of 3), ` +
      `${r.clusters} clusters, planted duplicates found ${r.found}/${r.duplicates} (${((100 * r.found) / Math.max(1, r.duplicates)).toFixed(1)}%), ` +
      `clusters mixing stories ${r.falseMerges}`,
  );
}
for (let k = 1; k < results.length; k++) {
  const a = results[k - 1];
  const b = results[k];
  if (a && b) {
    const wall = b.ms / a.ms;
    const cpu = b.cpuMs / a.cpuMs;
    const verdict = (x: number): string => (x <= 2.2 ? 'ok' : 'ABOVE 2.2x');
    console.log(`growth ${b.size / 1000}k/${a.size / 1000}k: ${wall.toFixed(2)}x wall (${verdict(wall)}), ${cpu.toFixed(2)}x cpu (${verdict(cpu)}); target <= 2.2x`);
  }
}
