/**
 * Groups headlines that report the same event: same canonical URL, equal token sets, or a
 * same-event similarity (title + summary, names and figures as anchors, weights from the
 * day's own corpus, time proximity; see similarity.ts). Near-linear: candidates come from an
 * inverted index whose posting lists are capped, so a word in many headlines proposes
 * nothing; candidate pairs that pass are merged strongest first, and two groups merge only
 * while their members agree on average (average linkage), so one ambiguous headline cannot
 * chain two events together.
 */
import type { Headline } from '../domain.ts';
import { canonicalUrl } from './canonical-url.ts';
import { buildVocabulary, eventVectors, type EventVector } from './event-vectors.ts';
import { headlineFeatures, moveAssets, type HeadlineFeatures } from './features.ts';
import { eventSimilarity, SAME_EVENT } from './similarity.ts';
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
   * An index key (a token, or a pair of frequent title tokens) proposes candidates only while
   * it is in at most `min(maxPosting, max(minPosting, ceil(n * postingShare)))` headlines.
   */
  minPosting?: number;
  maxPosting?: number;
  postingShare?: number;
  /** A pair at or above this is one event (default SAME_EVENT). */
  threshold?: number;
  /** Two groups merge when their members' mean similarity is at least this share of `threshold`. */
  linkShare?: number;
  /** How a headline is read (default headlineFeatures); another tokenizer can be compared through it. */
  featuresOf?: (headline: Headline) => HeadlineFeatures;
}

const DEFAULTS = { minPosting: 8, maxPosting: 64, postingShare: 0.1, threshold: SAME_EVENT, linkShare: 0.5, featuresOf: headlineFeatures };
/** How many of a headline's rarest frequent title tokens are paired into index keys. */
const PAIR_TOKENS = 4;
/** Members compared per side when two groups meet: bounds the cost of a merge. */
const LINK_SAMPLE = 12;

interface Prepared {
  headline: Headline;
  url: string;
  key: string;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function timeOf(h: Headline): number {
  const t = h.publishedAt === null ? Number.NaN : Date.parse(h.publishedAt);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Index keys of a headline: its rare tokens, and pairs of its rarest frequent title tokens. */
function indexKeys(v: EventVector, df: Int32Array, cap: number, vocabulary: number): number[] {
  const keys: number[] = [];
  for (const id of v.fullIds) if ((df[id] as number) <= cap) keys.push(id);
  const frequent = [...v.titleIds].filter((id) => (df[id] as number) > cap);
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
}

/**
 * Clusters headlines into stories. Deterministic: the result does not depend on input order.
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
    return { headline, url, key };
  });
  items.sort((a, b) => compare(a.key, b.key));
  const n = items.length;
  const features = items.map((item) => opts.featuresOf(item.headline));
  const vocabulary = buildVocabulary(features);
  const vectors = eventVectors(features, vocabulary);
  const { df } = vocabulary;
  const sets = new UnionFind(n);
  const members = new Map<number, number[]>();
  const membersOf = (root: number): number[] => members.get(root) ?? [root];
  // Each set keeps only its LINK_SAMPLE first members (all the merge check reads), so a merge
  // costs the same however large the sets are.
  const join = (ri: number, rj: number): void => {
    const merged = [...membersOf(ri), ...membersOf(rj)].sort((a, b) => a - b).slice(0, LINK_SAMPLE);
    const root = sets.union(ri, rj);
    members.set(root, merged);
    members.delete(root === ri ? rj : ri);
  };

  // 1. Equal title token sets, and the same canonical URL, are one story whatever else they
  //    say (a reordered title, the same item posted twice, the same link).
  const bySignature = new Map<string, number>();
  const byUrl = new Map<string, number>();
  items.forEach((item, i) => {
    const f = features[i];
    const title = f === undefined ? [] : [...new Set([...f.title, ...f.context])].sort();
    if (title.length >= 2) {
      const sig = title.join(' ');
      const first = bySignature.get(sig);
      if (first === undefined) bySignature.set(sig, i);
      else if (sets.find(first) !== sets.find(i)) join(sets.find(first), sets.find(i));
    }
    if (item.url === '') return;
    const first = byUrl.get(item.url);
    if (first === undefined) byUrl.set(item.url, i);
    else if (sets.find(first) !== sets.find(i)) join(sets.find(first), sets.find(i));
  });

  // 2. Candidate pairs: headlines sharing an index key, each scored.
  const cap = Math.min(opts.maxPosting, Math.max(opts.minPosting, Math.ceil(n * opts.postingShare)));
  // A price move ("up:xrp") is a key of its own, past every token and token pair.
  const moveKeys = new Map<string, number>();
  const moveBase = vocabulary.names.length * (vocabulary.names.length + 1);
  const docKeys = vectors.map((v) => {
    const keys = indexKeys(v, df, cap, vocabulary.names.length);
    if (v.move !== null) {
      // One key per direction and asset, so "down:bitcoin,ether" meets "down:bitcoin".
      const dir = v.move.split(':')[0] ?? '';
      for (const asset of moveAssets(v.move)) {
        const key = `${dir}:${asset}`;
        if (!moveKeys.has(key)) moveKeys.set(key, moveBase + moveKeys.size);
        keys.push(moveKeys.get(key) as number);
      }
    }
    return keys;
  });
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
        const score = eventSimilarity(vectors[i] as EventVector, vectors[j] as EventVector);
        if (score >= opts.threshold) edges.push({ i, j, score });
      }
    }
  }

  // 3. Strongest pairs first; two groups merge only when their members agree on average
  //    and at most a third of their cross pairs have nothing in common.
  edges.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
  const link = opts.threshold * opts.linkShare;
  for (const e of edges) {
    const ri = sets.find(e.i);
    const rj = sets.find(e.j);
    if (ri === rj) continue;
    const a = membersOf(ri).slice(0, LINK_SAMPLE);
    const b = membersOf(rj).slice(0, LINK_SAMPLE);
    let sum = 0;
    let unrelated = 0;
    for (const x of a) {
      for (const y of b) {
        const s = x === e.i && y === e.j ? e.score : eventSimilarity(vectors[x] as EventVector, vectors[y] as EventVector);
        if (s === 0) unrelated++;
        sum += s;
      }
    }
    // Most pairs must share something; one telling may share too little with another alone.
    if (unrelated * 3 <= a.length * b.length && sum / (a.length * b.length) >= link) join(ri, rj);
  }

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [i]);
    else group.push(i);
  }
  // Groups come out ordered by their first member (Map keeps insertion order).
  return [...groups.values()].map((indices) => {
    const list = indices.map((i) => items[i]?.headline).filter((h): h is Headline => h !== undefined);
    const bySource = new Map<string, number>();
    list.forEach((h, k) => {
      const kept = bySource.get(h.source);
      if (kept === undefined || timeOf(h) < timeOf(list[kept] ?? h)) bySource.set(h.source, k);
    });
    const chosen = new Set(bySource.values());
    return { headlines: list, sources: list.filter((_, k) => chosen.has(k)) };
  });
}
