/**
 * When two headlines tell the same story: the one rule used by clustering and by the
 * "already covered" check, so both agree. Conservative on purpose: a false merge hides a
 * story, a missed merge only shows it twice.
 */
import { isAmountToken, isAssetToken, isGenericToken } from './tokens.ts';

/** Generic crypto words ("bitcoin", "price") count little; a shared figure pins an event. */
export const GENERIC_WEIGHT = 0.25;
export const AMOUNT_WEIGHT = 1.5;

/** A token's weight before rarity (idf) is applied. */
export function baseWeight(token: string): number {
  return isGenericToken(token) ? GENERIC_WEIGHT : isAmountToken(token) ? AMOUNT_WEIGHT : 1;
}

/** Token kinds whose disagreement separates stories: figures ("$1B", "3%") and assets. */
export const KIND_PLAIN = 0;
export const KIND_AMOUNT = 1;
export const KIND_ASSET = 2;

export function tokenKind(token: string): number {
  return isAmountToken(token) ? KIND_AMOUNT : isAssetToken(token) ? KIND_ASSET : KIND_PLAIN;
}

/** What two token sets have in common, with token weights (rarer words weigh more). */
export interface PairStats {
  /** Tokens in both. */
  shared: number;
  /** How many of the shared tokens are generic crypto words ("bitcoin", "price"). */
  sharedGeneric: number;
  sizeA: number;
  sizeB: number;
  /** Summed weights: of the shared tokens, of all of A, of all of B. */
  wShared: number;
  wA: number;
  wB: number;
  /** Both name figures (or assets) and none of them agree: two different events. */
  conflict: boolean;
  /** They name the same figure ("$1 billion" / "$1B"): strong evidence of one event. */
  sharedAmount: boolean;
}

/**
 * Shared specific (non-generic) tokens below this never make two headlines one story,
 * unless their token sets are equal.
 */
export const MIN_SHARED = 3;
/** Weighted Jaccard at or above which two headlines are the same story. */
export const JACCARD_SAME = 0.5;
/** A short headline contained in a longer one: weighted overlap with a lower Jaccard floor. */
export const OVERLAP_SAME = 0.75;
/** Same, when the two also name the same figure. */
export const OVERLAP_SAME_WITH_AMOUNT = 0.6;
export const JACCARD_FLOOR = 0.3;

/** The decision, from the pair's statistics. */
export function isSameStory(s: PairStats): boolean {
  if (s.conflict) return false;
  if (s.shared === s.sizeA && s.shared === s.sizeB) return s.shared >= 2;
  if (s.shared - s.sharedGeneric < MIN_SHARED) return false;
  const jaccard = s.wShared / (s.wA + s.wB - s.wShared);
  const overlap = s.wShared / Math.min(s.wA, s.wB);
  if (jaccard >= JACCARD_SAME) return true;
  if (jaccard < JACCARD_FLOOR) return false;
  return overlap >= (s.sharedAmount ? OVERLAP_SAME_WITH_AMOUNT : OVERLAP_SAME);
}

/** Weighted Jaccard of a pair: the strength used to order merges. */
export function pairScore(s: PairStats): number {
  const union = s.wA + s.wB - s.wShared;
  return union > 0 ? s.wShared / union : 0;
}

/**
 * Pair statistics for two token lists (repeats ignored), weighting each token with `weight`.
 *
 * @example
 * const s = pairStats(contentTokens(a), contentTokens(b), baseWeight);
 * isSameStory(s);
 */
export function pairStats(a: readonly string[], b: readonly string[], weight: (token: string) => number): PairStats {
  const setA = new Set(a);
  const setB = new Set(b);
  let shared = 0;
  let sharedGeneric = 0;
  let wShared = 0;
  let wA = 0;
  let wB = 0;
  const kindsA = [0, 0, 0];
  const kindsB = [0, 0, 0];
  const kindsShared = [0, 0, 0];
  for (const t of setA) {
    const w = weight(t);
    const k = tokenKind(t);
    wA += w;
    kindsA[k]!++;
    if (setB.has(t)) {
      shared++;
      if (isGenericToken(t)) sharedGeneric++;
      wShared += w;
      kindsShared[k]!++;
    }
  }
  for (const t of setB) {
    wB += weight(t);
    kindsB[tokenKind(t)]!++;
  }
  return {
    shared,
    sharedGeneric,
    sizeA: setA.size,
    sizeB: setB.size,
    wShared,
    wA,
    wB,
    conflict: hasConflict(kindsA, kindsB, kindsShared),
    sharedAmount: (kindsShared[KIND_AMOUNT] ?? 0) > 0,
  };
}

/** Per kind counts [plain, amount, asset] -> whether a figure or asset disagrees. */
export function hasConflict(a: readonly number[], b: readonly number[], shared: readonly number[]): boolean {
  for (const k of [KIND_AMOUNT, KIND_ASSET]) {
    if ((a[k] ?? 0) > 0 && (b[k] ?? 0) > 0 && (shared[k] ?? 0) === 0) return true;
  }
  return false;
}
