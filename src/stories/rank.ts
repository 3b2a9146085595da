/**
 * The score of a story: recency x coverage x topic x source weight, demoted when a recent
 * brief already told it. Each factor is its own function so the ranking can be explained.
 */
import type { Topic } from '../domain.ts';
import { eventVectors } from './event-vectors.ts';
import { headlineFeatures } from './features.ts';
import { eventSimilarity, SAME_EVENT } from './similarity.ts';

/** Hours for a story's recency weight to halve. */
export const HALF_LIFE_HOURS = 12;
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

/** 1 for news of this instant, 0.5 at one half-life; undated news gets NEUTRAL_RECENCY. */
export function recencyFactor(ageHours: number | null): number {
  if (ageHours === null || !Number.isFinite(ageHours)) return NEUTRAL_RECENCY;
  return 0.5 ** (Math.max(0, ageHours) / HALF_LIFE_HOURS);
}

/** 1 for one outlet, growing with the log of distinct outlets (2 -> 1.69, 4 -> 2.39). */
export function coverageFactor(outlets: number): number {
  return 1 + Math.log(Math.max(1, outlets));
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
