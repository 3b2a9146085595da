/**
 * The score of a story: recency of its newest telling x breadth and weight of its coverage x
 * topic x news (not commentary), demoted when a recent brief already told it. Each factor is
 * its own function so the ranking can be explained.
 */
import type { Topic } from '../domain.ts';
import { eventVectors } from './event-vectors.ts';
import { headlineFeatures } from './features.ts';
import { eventSimilarity, SAME_EVENT } from './similarity.ts';

/** Hours for a story's recency weight to halve. */
export const HALF_LIFE_HOURS = 18;
/** Recency of an undated story: as if it were one half-life old. */
export const NEUTRAL_RECENCY = 0.5;
/** What a story already told in a recent brief keeps of its score. */
export const COVERED_FACTOR = 0.2;
/** Weight of a story with no known topic. */
export const NO_TOPIC_WEIGHT = 0.8;

/** How much a topic matters to a market morning brief; a story counts its best topic. */
export const TOPIC_WEIGHTS: Record<Topic, number> = {
  fed: 1.5,
  macro: 1.4,
  etf: 1.4,
  regulation: 1.35,
  security: 1.2,
  stablecoin: 1.15,
  institutions: 1.15,
  exchange: 1.1,
  btc: 1.1,
  eth: 1.05,
  onchain: 1,
  altcoins: 0.9,
};

/** News this recent is all "this morning's": its age does not rank it. */
export const FRESH_HOURS = 12;

/** 1 within FRESH_HOURS, then 0.5 one half-life later; undated news gets NEUTRAL_RECENCY. */
export function recencyFactor(ageHours: number | null): number {
  if (ageHours === null || !Number.isFinite(ageHours)) return NEUTRAL_RECENCY;
  return 0.5 ** (Math.max(0, ageHours - FRESH_HOURS) / HALF_LIFE_HOURS);
}

/**
 * Breadth and weight of coverage: 1 plus the log of the distinct outlets' summed weights, so
 * an ordinary outlet alone gives 1, two give 1.69, four 2.39, and a reputable outlet (weight
 * 1.5) counts for one and a half.
 *
 * @example coverageFactor([1, 1]) // 1.69
 */
export function coverageFactor(outletWeights: readonly number[]): number {
  const total = outletWeights.reduce((sum, w) => sum + w, 0);
  return total >= 1 ? 1 + Math.log(total) : Math.max(total, 0.1);
}

/** What a story told only in questions or teasers keeps of its score: commentary, not news. */
export const COMMENTARY_FACTOR = 0.7;

/** Headlines that ask, tease or bundle rather than report ("Is X a buy?", "Here's why ..."). */
const COMMENTARY = /\?|!$|^(?:why|how|what|is|are|can|will|should|could|does|do|here's|this is)\s|\b(?:you need to know|explained|price prediction|price analysis)\b|^the daily\b|\band more$/iu;

/** 1 for a story with at least one reporting headline, COMMENTARY_FACTOR when every telling is commentary. */
export function newsFactor(titles: readonly string[]): number {
  return titles.length > 0 && titles.every((t) => COMMENTARY.test(t.trim())) ? COMMENTARY_FACTOR : 1;
}

export function topicFactor(topics: readonly Topic[]): number {
  return topics.reduce((best, t) => Math.max(best, TOPIC_WEIGHTS[t]), topics.length === 0 ? NO_TOPIC_WEIGHT : 0);
}

/**
 * Tells whether a headline repeats one of the titles recent briefs carried.
 *
 * @example
 * const covered = coveredMatcher(['Binance faces $1 billion terrorism lawsuit']);
 * covered('Binance hit with $1B lawsuit over terrorism financing claims') // => true
 */
export function coveredMatcher(recentlyCovered: readonly string[]): (title: string) => boolean {
  const covered = recentlyCovered.map((title) => headlineFeatures({ title, summary: '', publishedAt: null })).filter((f) => f.title.length > 0);
  if (covered.length === 0) return () => false;
  return (title) => {
    const mine = headlineFeatures({ title, summary: '', publishedAt: null });
    if (mine.title.length === 0) return false;
    // One small corpus of the covered titles and this one: the same rule as clustering.
    const vectors = eventVectors([mine, ...covered]);
    const [self, ...others] = vectors;
    return self !== undefined && others.some((v) => eventSimilarity(self, v) >= SAME_EVENT);
  };
}
