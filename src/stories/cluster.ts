/**
 * Groups headlines that tell the same story: same canonical URL, equal token sets, or
 * near-duplicate titles from any outlets. Near-linear: candidates come from an inverted
 * index (tokens, and pairs of frequent tokens) whose posting lists are capped, so a word in
 * many headlines proposes nothing; each candidate pair is checked with `isSameStory`, and
 * union-find merges the pairs that pass, strongest first, only while every member of the
 * merged set still shares a specific (non-generic) word with every other.
 */
import type { Headline } from '../domain.ts';
import { canonicalUrl } from './canonical-url.ts';
import { baseWeight, isSameStory, KIND_AMOUNT, KIND_ASSET, MIN_SHARED, pairScore, tokenKind } from './similarity.ts';
import { contentTokens, isGenericToken } from './tokens.ts';
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
   * An index key (a token, or a pair of frequent tokens) proposes candidates only while it
   * is in at most `min(maxPosting, max(minPosting, ceil(n * postingShare)))` headlines.
   */
  minPosting?: number;
  maxPosting?: number;
  postingShare?: number;
}

const DEFAULTS = { minPosting: 8, maxPosting: 64, postingShare: 0.1 };
/** How many of a headline's rarest frequent tokens are paired into index keys (k -> k(k-1)/2 keys). */
const PAIR_TOKENS = 4;

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
 * member, except headlines joined because their canonical URLs are equal (the same link
 * is the same article, whatever its title says).
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
  // All token lists in one buffer (each a sorted view): the pair loop stays in cache.
  const flat = new Int32Array(items.reduce((sum, item) => sum + item.tokens.length, 0));
  let offset = 0;
  const docs: Int32Array[] = items.map((item) => {
    const doc = flat.subarray(offset, offset + item.tokens.length);
    item.tokens.forEach((t, k) => {
      let id = ids.get(t);
      if (id === undefined) {
        id = names.length;
        ids.set(t, id);
        names.push(t);
      }
      doc[k] = id;
    });
    offset += item.tokens.length;
    return doc.sort();
  });
  const df = new Int32Array(names.length);
  for (const doc of docs) for (const id of doc) df[id] = (df[id] ?? 0) + 1;
  const weight = new Float64Array(names.length);
  const kind = new Uint8Array(names.length);
  const generic = new Uint8Array(names.length);
  names.forEach((name, id) => {
    const idf = Math.log(1 + n / (df[id] ?? 1));
    weight[id] = idf * baseWeight(name);
    kind[id] = tokenKind(name);
    generic[id] = isGenericToken(name) ? 1 : 0;
  });
  const docWeight = Float64Array.from(docs, (doc) => doc.reduce((sum, id) => sum + (weight[id] ?? 0), 0));
  const countKind = (doc: Int32Array, k: number): number => doc.reduce((sum, id) => sum + (kind[id] === k ? 1 : 0), 0);
  const docAmounts = Int32Array.from(docs, (doc) => countKind(doc, KIND_AMOUNT));
  const docAssets = Int32Array.from(docs, (doc) => countKind(doc, KIND_ASSET));

  /**
   * The pair's merge strength (weighted Jaccard), or -1 when it is not one story. The hot
   * path: allocation-free rejects first (too few shared tokens, a figure or asset that
   * disagrees), then the shared rule `isSameStory` decides.
   */
  const check = (i: number, j: number): number => {
    const a = docs[i] as Int32Array;
    const b = docs[j] as Int32Array;
    let shared = 0;
    let wShared = 0;
    let amounts = 0;
    let assets = 0;
    let sharedGeneric = 0;
    let x = 0;
    let y = 0;
    while (x < a.length && y < b.length) {
      const p = a[x] as number;
      const q = b[y] as number;
      if (p === q) {
        shared++;
        wShared += weight[p] as number;
        sharedGeneric += generic[p] as number;
        if (kind[p] === KIND_AMOUNT) amounts++;
        else if (kind[p] === KIND_ASSET) assets++;
        x++;
        y++;
      } else if (p < q) x++;
      else y++;
    }
    if (shared - sharedGeneric < MIN_SHARED) return -1;
    const conflict =
      ((docAmounts[i] as number) > 0 && (docAmounts[j] as number) > 0 && amounts === 0) ||
      ((docAssets[i] as number) > 0 && (docAssets[j] as number) > 0 && assets === 0);
    if (conflict) return -1;
    const pair = {
      shared,
      sharedGeneric,
      sizeA: a.length,
      sizeB: b.length,
      wShared,
      wA: docWeight[i] as number,
      wB: docWeight[j] as number,
      conflict,
      sharedAmount: amounts > 0,
    };
    return isSameStory(pair) ? pairScore(pair) : -1;
  };

  const sets = new UnionFind(n);
  // The tokens every member of a set shares; two sets merge on content only if theirs meet.
  // Generic words ("bitcoin") are left out of it: sharing only those is not a story.
  const core = new Map<number, Int32Array>();
  const coreOf = (root: number): Int32Array => core.get(root) ?? (docs[root] ?? new Int32Array()).filter((id) => generic[id] === 0);
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
    else join(first, i, true);
  });

  // 2. The same canonical URL is the same article, whatever its titles say.
  const byUrl = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.url === '') return;
    const first = byUrl.get(item.url);
    if (first === undefined) byUrl.set(item.url, i);
    else join(first, i, true);
  });

  // 3. Candidate pairs: headlines that share an index key, each checked by `check`. A
  //    headline's keys: each of its tokens rare enough (in at most `cap` headlines), and
  //    each pair among its few rarest frequent tokens (two frequent words together are
  //    rare), so headlines made of common words can still meet. A key in more than `cap`
  //    headlines proposes nothing: a word in a large share of headlines never does.
  const cap = Math.min(opts.maxPosting, Math.max(opts.minPosting, Math.ceil(n * opts.postingShare)));
  const vocabulary = names.length;
  const keysOf = (doc: Int32Array): number[] => {
    const keys: number[] = [];
    const frequent: number[] = [];
    for (const id of doc) {
      if ((df[id] as number) <= cap) keys.push(id);
      else frequent.push(id);
    }
    frequent.sort((a, b) => (df[a] as number) - (df[b] as number) || a - b);
    const top = Math.min(frequent.length, PAIR_TOKENS);
    for (let x = 0; x < top; x++) {
      for (let y = x + 1; y < top; y++) {
        const a = frequent[x] as number;
        const b = frequent[y] as number;
        keys.push(vocabulary + Math.min(a, b) * vocabulary + Math.max(a, b));
      }
    }
    return keys;
  };
  const docKeys = docs.map(keysOf);
  const postings = new Map<number, number[]>();
  docKeys.forEach((keys, i) => {
    for (const key of keys) {
      const list = postings.get(key);
      if (list === undefined) postings.set(key, [i]);
      else if (list.length <= cap) list.push(i);
    }
  });
  const edges: { i: number; j: number; score: number }[] = [];
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (const key of docKeys[i] ?? []) {
      const list = postings.get(key);
      // Lists are filled up to cap + 1, so an over-full one is recognised and skipped.
      if (list === undefined || list.length < 2 || list.length > cap) continue;
      for (const j of list) {
        if (j <= i || seen[j] === i) continue;
        seen[j] = i;
        const score = check(i, j);
        if (score >= 0) edges.push({ i, j, score });
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
