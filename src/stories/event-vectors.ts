/**
 * Headline features -> weighted sparse vectors over the day's own vocabulary: each token
 * weighs its rarity in the day's corpus (idf) times its kind (a figure or a name counts
 * more, a word every crypto headline uses counts little), summary words less than title words.
 */
import type { HeadlineFeatures } from './features.ts';
import { isAmountToken, isAssetToken, isGenericToken } from './tokens.ts';

/** Kind weights before rarity. */
export const GENERIC_WEIGHT = 0.25;
export const AMOUNT_WEIGHT = 1.8;
export const ENTITY_WEIGHT = 1.6;
/** A summary word counts this much of a title word. */
export const SUMMARY_FIELD_WEIGHT = 0.5;
/** A title word after "as", "after", "amid": context, but often the event's own cause. */
export const CONTEXT_FIELD_WEIGHT = 1;
/**
 * Phantom documents added to the corpus for idf: with a handful of headlines, rarity says
 * little, so every word weighs about the same; with hundreds, the day's own counts decide.
 */
export const IDF_PRIOR_DOCS = 20;

/** One headline as sorted token ids with weights: the title alone, and title + summary. */
export interface EventVector {
  titleIds: Int32Array;
  titleWeights: Float64Array;
  titleNorm: number;
  fullIds: Int32Array;
  fullWeights: Float64Array;
  fullNorm: number;
  /** Ids of title + summary tokens that are not generic crypto words, sorted. */
  specific: Int32Array;
  /** Token ids of figures in the title, and their values (for a tolerant comparison). */
  amounts: { id: number; value: number; percent: boolean }[];
  /** Token ids of assets in the title. */
  assets: Int32Array;
  /** Of those, the ones that are not generic words (solana, xrp; not bitcoin, ether). */
  ownAssets: Int32Array;
  time: number | null;
  move: string | null;
  question: boolean;
  roundup: boolean;
  /** Names in the title (the day's names, and its subject), sorted ids. */
  names: Int32Array;
  /** Title tokens that are neither names, figures nor generic words: what happened. */
  actions: Int32Array;
}

export interface Vocabulary {
  ids: Map<string, number>;
  names: string[];
  df: Int32Array;
}

/** Token ids in order of first appearance over the documents: deterministic for a fixed order. */
export function buildVocabulary(features: readonly HeadlineFeatures[]): Vocabulary {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const counts: number[] = [];
  for (const f of features) {
    const seen = new Set<number>();
    for (const t of [...f.title, ...f.context, ...f.summary]) {
      let id = ids.get(t);
      if (id === undefined) {
        id = names.length;
        ids.set(t, id);
        names.push(t);
        counts.push(0);
      }
      if (!seen.has(id)) {
        seen.add(id);
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
  }
  return { ids, names, df: Int32Array.from(counts) };
}

/** Dates say when, not what happened: "july", "24", "2025". */
function isDateWord(token: string): boolean {
  return /^\d{1,4}$/u.test(token) || /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*$/u.test(token);
}

/** "#3100000000" -> 3.1e9; "#3%" -> 3 (percent). */
export function amountValue(token: string): { value: number; percent: boolean } {
  const percent = token.endsWith('%');
  return { value: Number(token.slice(1, percent ? -1 : undefined)), percent };
}

function sortedVector(entries: Map<number, number>): { ids: Int32Array; weights: Float64Array; norm: number } {
  const ids = Int32Array.from(entries.keys()).sort();
  const weights = Float64Array.from(ids, (id) => entries.get(id) ?? 0);
  const norm = Math.sqrt(weights.reduce((sum, w) => sum + w * w, 0));
  return { ids, weights, norm };
}

/**
 * The vectors of a day's headlines, weighted by that day's corpus.
 *
 * @example const vectors = eventVectors(headlines.map(headlineFeatures));
 */
export function eventVectors(features: readonly HeadlineFeatures[], vocabulary = buildVocabulary(features)): EventVector[] {
  const n = features.length;
  const { ids, df, names } = vocabulary;
  // The day's names: a token the day writes as a name more often than in lower case counts
  // as one everywhere ("Powell"), a capitalised common word does not ("Funds").
  const capitalised = new Int32Array(names.length);
  const lower = new Int32Array(names.length);
  for (const f of features) {
    for (const t of new Set([...f.entities, ...f.titleNames])) {
      const id = ids.get(t);
      if (id !== undefined && !isAssetToken(t)) capitalised[id] = (capitalised[id] ?? 0) + 1;
    }
    for (const t of f.plain) {
      const id = ids.get(t);
      if (id !== undefined) lower[id] = (lower[id] ?? 0) + 1;
    }
  }
  const named = Uint8Array.from(capitalised, (c, id) => (c > 0 && c >= (lower[id] ?? 0) ? 1 : 0));
  const isName = (t: string): boolean => named[ids.get(t) as number] === 1 || (lower[ids.get(t) as number] ?? 0) === 0;
  const tokenWeight = Float64Array.from(names, (name, id) => {
    const idf = Math.log(1 + (n + IDF_PRIOR_DOCS) / ((df[id] ?? 0) + 1));
    const kind = isGenericToken(name) ? GENERIC_WEIGHT : isAmountToken(name) ? AMOUNT_WEIGHT : named[id] === 1 ? ENTITY_WEIGHT : 1;
    return idf * kind;
  });
  return features.map((f) => {
    const title = new Map<number, number>();
    for (const t of f.title) {
      const id = ids.get(t) as number;
      title.set(id, tokenWeight[id] ?? 0);
    }
    const full = new Map(title);
    for (const t of f.context) {
      const id = ids.get(t) as number;
      if (!full.has(id)) full.set(id, (tokenWeight[id] ?? 0) * CONTEXT_FIELD_WEIGHT);
    }
    for (const t of f.summary) {
      const id = ids.get(t) as number;
      if (!full.has(id)) full.set(id, (tokenWeight[id] ?? 0) * SUMMARY_FIELD_WEIGHT);
    }
    const t = sortedVector(title);
    const u = sortedVector(full);
    return {
      titleIds: t.ids,
      titleWeights: t.weights,
      titleNorm: t.norm,
      fullIds: u.ids,
      fullWeights: u.weights,
      fullNorm: u.norm,
      specific: u.ids.filter((id) => !isGenericToken(names[id] ?? '')),
      amounts: f.titleAmounts.map((a) => ({ id: ids.get(a) as number, ...amountValue(a) })),
      assets: Int32Array.from(f.titleAssets.map((a) => ids.get(a) as number)).sort(),
      ownAssets: Int32Array.from(f.titleAssets.filter((a) => !isGenericToken(a)).map((a) => ids.get(a) as number)).sort(),
      time: f.time,
      move: f.move,
      question: f.question,
      roundup: f.roundup,
      names: Int32Array.from(
        new Set([...f.title.filter((tok) => named[ids.get(tok) as number] === 1), ...f.titleNames.filter(isName)].map((tok) => ids.get(tok) as number)),
      ).sort(),
      actions: Int32Array.from(
        f.title
          .filter((tok) => named[ids.get(tok) as number] !== 1 && !f.titleNames.includes(tok) && !isGenericToken(tok) && !isAmountToken(tok) && !isDateWord(tok))
          .map((tok) => ids.get(tok) as number),
      ).sort(),
    };
  });
}
