/**
 * Groups headlines that tell the same story: same canonical URL, or near-duplicate titles
 * from any outlets. Near-linear: candidates come from an inverted index whose posting lists
 * are capped (a word in many headlines proposes nothing), each candidate pair is checked
 * with `isSameStory`, and union-find merges the pairs that pass.
 */
import type { Headline } from '../domain.ts';
import { canonicalUrl } from './canonical-url.ts';
import { baseWeight, hasConflict, isSameStory, KIND_AMOUNT, pairScore, tokenKind, type PairStats } from './similarity.ts';
import { contentTokens } from './tokens.ts';
import { UnionFind } from './union-find.ts';

/** One story's headlines. */
export interface HeadlineCluster {
  /** Every member, in a stable order; together the clusters partition the input. */
  headlines: Headline[];
  /**
   * One headline per outlet (`source`): an outlet that posted the item twice counts once,
   * by its earliest posting. Ordered like `headlines`.
   */
  sources: Headline[];
}

/** Tuning knobs; the defaults suit a morning's few hundred headlines and scale to 40k+. */
export interface ClusterOptions {
  /**
   * A token proposes candidates only while it is in at most this many headlines:
   * `min(maxPosting, max(minPosting, ceil(n * postingShare)))`.
   */
  minPosting?: number;
  maxPosting?: number;
  postingShare?: number;
}

const DEFAULTS = { minPosting: 8, maxPosting: 64, postingShare: 0.1 };

interface Prepared {
  headline: Headline;
  url: string;
  key: string;
  tokens: string[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function timeOf(h: Headline): number {
  const t = h.publishedAt === null ? Number.NaN : Date.parse(h.publishedAt);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Whether two sorted id lists share an id. */
function intersects(a: Int32Array, b: Int32Array): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

/** Whether two sorted id lists share at least two ids (no allocation: the hot path). */
function sharesTwo(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      if (++shared === 2) return true;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return false;
}

function intersection(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return Int32Array.from(out);
}

/**
 * Clusters headlines into stories. Deterministic: the result does not depend on input
 * order. Every member of a cluster shares at least one content token with every other
 * member, except headlines joined only because their canonical URLs are equal.
 *
 * @example
 * const clusters = clusterHeadlines([
 *   { title: 'Binance faces $1 billion terrorism lawsuit', source: 'coindesk', ... },
 *   { title: 'Binance hit with $1B lawsuit over terrorism financing claims', source: 'theblock', ... },
 * ]);
 * clusters.length // => 1, with both outlets in clusters[0].sources
 */
export function clusterHeadlines(headlines: readonly Headline[], options: ClusterOptions = {}): HeadlineCluster[] {
  const opts = { ...DEFAULTS, ...options };
  const items: Prepared[] = headlines.map((headline) => {
    const url = canonicalUrl(headline.url);
    const key = [url, headline.title, headline.source, headline.sourceName, headline.publishedAt ?? '', headline.summary, headline.url].join('\u0000');
    return { headline, url, key, tokens: contentTokens(headline.title) };
  });
  items.sort((a, b) => compare(a.key, b.key));
  const n = items.length;

  // Token ids in order of first appearance over the sorted items: deterministic.
  const ids = new Map<string, number>();
  const names: string[] = [];
  const docs: Int32Array[] = items.map((item) => {
    const row = item.tokens.map((t) => {
      let id = ids.get(t);
      if (id === undefined) {
        id = names.length;
        ids.set(t, id);
        names.push(t);
      }
      return id;
    });
    return Int32Array.from(row).sort();
  });
  const df = new Int32Array(names.length);
  for (const doc of docs) for (const id of doc) df[id] = (df[id] ?? 0) + 1;
  const weight = new Float64Array(names.length);
  const kind = new Uint8Array(names.length);
  names.forEach((name, id) => {
    const idf = Math.log(1 + n / (df[id] ?? 1));
    weight[id] = idf * baseWeight(name);
    kind[id] = tokenKind(name);
  });
  const docWeight = docs.map((doc) => doc.reduce((sum, id) => sum + (weight[id] ?? 0), 0));
  const docKinds = docs.map((doc) => {
    const counts = [0, 0, 0];
    for (const id of doc) counts[kind[id] ?? 0]!++;
    return counts;
  });

  const stats = (i: number, j: number): PairStats => {
    const a = docs[i] ?? new Int32Array();
    const b = docs[j] ?? new Int32Array();
    let shared = 0;
    let wShared = 0;
    const kindsShared = [0, 0, 0];
    let x = 0;
    let y = 0;
    while (x < a.length && y < b.length) {
      const p = a[x] ?? 0;
      const q = b[y] ?? 0;
      if (p === q) {
        shared++;
        wShared += weight[p] ?? 0;
        kindsShared[kind[p] ?? 0]!++;
        x++;
        y++;
      } else if (p < q) x++;
      else y++;
    }
    return {
      shared,
      sizeA: a.length,
      sizeB: b.length,
      wShared,
      wA: docWeight[i] ?? 0,
      wB: docWeight[j] ?? 0,
      conflict: hasConflict(docKinds[i] ?? [], docKinds[j] ?? [], kindsShared),
      sharedAmount: (kindsShared[KIND_AMOUNT] ?? 0) > 0,
    };
  };

  const sets = new UnionFind(n);
  // The tokens every member of a set shares; two sets merge on content only if theirs meet.
  const core = new Map<number, Int32Array>();
  const coreOf = (root: number): Int32Array => core.get(root) ?? docs[root] ?? new Int32Array();
  const join = (i: number, j: number, force: boolean): void => {
    const ri = sets.find(i);
    const rj = sets.find(j);
    if (ri === rj) return;
    const ci = coreOf(ri);
    const cj = coreOf(rj);
    if (!force && !intersects(ci, cj)) return;
    const root = sets.union(ri, rj);
    core.set(root, intersection(ci, cj));
    core.delete(root === ri ? rj : ri);
  };

  // 1. Equal token sets are one story whatever else they share (reordered or re-punctuated
  //    titles, the same item posted twice); merged first, so a URL merge below cannot
  //    block them.
  const bySignature = new Map<string, number>();
  docs.forEach((doc, i) => {
    if (doc.length < 2) return;
    const sig = doc.join(',');
    const first = bySignature.get(sig);
    if (first === undefined) bySignature.set(sig, i);
    else join(first, i, false);
  });

  // 2. The same canonical URL is the same article, whatever its titles say.
  const byUrl = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.url === '') return;
    const first = byUrl.get(item.url);
    if (first === undefined) byUrl.set(item.url, i);
    else join(first, i, true);
  });

  // 3. Candidate pairs: headlines sharing a token rare enough to keep its posting list
  //    (a word in many headlines proposes nothing), each checked with isSameStory.
  const cap = Math.min(opts.maxPosting, Math.max(opts.minPosting, Math.ceil(n * opts.postingShare)));
  const edges: { i: number; j: number; score: number }[] = [];
  const postings: number[][] = names.map(() => []);
  docs.forEach((doc, i) => {
    for (const id of doc) if ((df[id] ?? 0) <= cap) postings[id]?.push(i);
  });
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (const id of docs[i] ?? []) {
      const list = postings[id];
      if (list === undefined || list.length < 2) continue;
      for (const j of list) {
        if (j <= i || seen[j] === i) continue;
        seen[j] = i;
        // Most candidates share just the one rare token that proposed them: cheap reject.
        if (!sharesTwo(docs[i], docs[j])) continue;
        const pair = stats(i, j);
        if (isSameStory(pair)) edges.push({ i, j, score: pairScore(pair) });
      }
    }
  }

  // 4. Strongest pairs first, so a weak link cannot pull a headline away from its best match.
  edges.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
  for (const e of edges) join(e.i, e.j, false);

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [i]);
    else group.push(i);
  }
  // Groups come out ordered by their first member (Map keeps insertion order).
  return [...groups.values()].map((members) => {
    const list = members.map((i) => items[i]?.headline).filter((h): h is Headline => h !== undefined);
    const bySource = new Map<string, number>();
    list.forEach((h, k) => {
      const kept = bySource.get(h.source);
      if (kept === undefined || timeOf(h) < timeOf(list[kept] ?? h)) bySource.set(h.source, k);
    });
    const chosen = new Set(bySource.values());
    return { headlines: list, sources: list.filter((_, k) => chosen.has(k)) };
  });
}
