/**
 * Clustering scores against hand labels, pure functions: pairwise precision/recall/F1 over
 * same-cluster pairs and B-cubed precision/recall/F1 over items. Clusters and labels are
 * given as one id per item (`predicted[i]` is item i's cluster, `gold[i]` its event).
 */

export interface PairCounts {
  /** Pairs in one predicted cluster that share an event. */
  truePositives: number;
  /** Pairs in one predicted cluster with different events. */
  falsePositives: number;
  /** Pairs with one event that the clusterer kept apart. */
  falseNegatives: number;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

function assertSameLength(predicted: readonly string[], gold: readonly string[]): void {
  if (predicted.length !== gold.length) throw new Error(`predicted has ${predicted.length} items, gold ${gold.length}`);
}

/**
 * Counts same-cluster pairs without enumerating them (linear in the items).
 * @example pairCounts(['a', 'a', 'b'], ['x', 'x', 'x']) // { truePositives: 1, falsePositives: 0, falseNegatives: 2 }
 */
export function pairCounts(predicted: readonly string[], gold: readonly string[]): PairCounts {
  assertSameLength(predicted, gold);
  const both = countBy(predicted.map((p, i) => `${p}\u0000${gold[i]}`));
  let truePositives = 0;
  for (const n of both.values()) truePositives += pairs(n);
  let predictedPairs = 0;
  for (const n of countBy(predicted).values()) predictedPairs += pairs(n);
  let goldPairs = 0;
  for (const n of countBy(gold).values()) goldPairs += pairs(n);
  return { truePositives, falsePositives: predictedPairs - truePositives, falseNegatives: goldPairs - truePositives };
}

/** Sums counts, e.g. over days, for micro-averaged pairwise scores. */
export function addPairCounts(a: PairCounts, b: PairCounts): PairCounts {
  return {
    truePositives: a.truePositives + b.truePositives,
    falsePositives: a.falsePositives + b.falsePositives,
    falseNegatives: a.falseNegatives + b.falseNegatives,
  };
}

function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/**
 * Precision, recall and F1 from pair counts. With no predicted pairs precision is 1 (nothing
 * wrong was merged); with no gold pairs recall is 1 (nothing was there to find).
 */
export function pairwiseScores(c: PairCounts): Prf {
  const predicted = c.truePositives + c.falsePositives;
  const gold = c.truePositives + c.falseNegatives;
  const precision = predicted === 0 ? 1 : c.truePositives / predicted;
  const recall = gold === 0 ? 1 : c.truePositives / gold;
  return { precision, recall, f1: f1(precision, recall) };
}

/** B-cubed sums (per-item precision and recall added up) and the item count, so days can be pooled. */
export interface BcubedSums {
  precisionSum: number;
  recallSum: number;
  items: number;
}

/**
 * For each item: precision = share of its cluster with its event, recall = share of its
 * event in its cluster.
 * @example bcubedSums(['a', 'a', 'b'], ['x', 'x', 'x']) // { precisionSum: 3, recallSum: 5/3, items: 3 }
 */
export function bcubedSums(predicted: readonly string[], gold: readonly string[]): BcubedSums {
  assertSameLength(predicted, gold);
  const both = countBy(predicted.map((p, i) => `${p}\u0000${gold[i]}`));
  const clusterSize = countBy(predicted);
  const eventSize = countBy(gold);
  let precisionSum = 0;
  let recallSum = 0;
  predicted.forEach((p, i) => {
    const g = gold[i]!;
    const shared = both.get(`${p}\u0000${g}`)!;
    precisionSum += shared / clusterSize.get(p)!;
    recallSum += shared / eventSize.get(g)!;
  });
  return { precisionSum, recallSum, items: predicted.length };
}

export function addBcubedSums(a: BcubedSums, b: BcubedSums): BcubedSums {
  return { precisionSum: a.precisionSum + b.precisionSum, recallSum: a.recallSum + b.recallSum, items: a.items + b.items };
}

/** Item-averaged B-cubed precision, recall and F1 (1/1/1 for no items). */
export function bcubedScores(s: BcubedSums): Prf {
  if (s.items === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = s.precisionSum / s.items;
  const recall = s.recallSum / s.items;
  return { precision, recall, f1: f1(precision, recall) };
}

/**
 * Events that more than one brief item tells: each item is given the events it tells (its
 * lead headline's label); returns the events with the items that tell them, for events told 2+ times.
 * @example toldTwice([['fed'], ['fed'], ['hack']]) // [{ event: 'fed', items: [0, 1] }]
 */
export function toldTwice(itemEvents: readonly (readonly string[])[]): { event: string; items: number[] }[] {
  const byEvent = new Map<string, number[]>();
  itemEvents.forEach((events, i) => {
    for (const e of new Set(events)) byEvent.set(e, [...(byEvent.get(e) ?? []), i]);
  });
  return [...byEvent.entries()]
    .filter(([, items]) => items.length > 1)
    .map(([event, items]) => ({ event, items }))
    .sort((a, b) => (a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
}
