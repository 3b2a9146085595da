/** The evaluation's clustering scores on examples small enough to count by hand. */
import { describe, expect, it } from 'vitest';
import { addPairCounts, bcubedScores, bcubedSums, pairCounts, pairwiseScores, toldTwice } from '../../scripts/eval/metrics.ts';

// Five headlines: events A A A B C. The clusterer made {1,2} {3,4} {5}.
const gold = ['A', 'A', 'A', 'B', 'C'];
const predicted = ['x', 'x', 'y', 'y', 'z'];

describe('pairwise scores', () => {
  it('counts right, wrong and missed same-cluster pairs', () => {
    // Gold pairs: (1,2) (1,3) (2,3). Predicted pairs: (1,2) right, (3,4) wrong.
    expect(pairCounts(predicted, gold)).toEqual({ truePositives: 1, falsePositives: 1, falseNegatives: 2 });
    const s = pairwiseScores(pairCounts(predicted, gold));
    expect(s.precision).toBeCloseTo(0.5);
    expect(s.recall).toBeCloseTo(1 / 3);
    expect(s.f1).toBeCloseTo(0.4);
  });

  it('gives the merge-nothing clusterer precision 1, recall 0 and F1 0', () => {
    const s = pairwiseScores(pairCounts(['1', '2', '3', '4', '5'], gold));
    expect(s).toEqual({ precision: 1, recall: 0, f1: 0 });
  });

  it('gives a perfect clustering 1/1/1 whatever the cluster names', () => {
    expect(pairwiseScores(pairCounts(['p', 'p', 'p', 'q', 'r'], gold))).toEqual({ precision: 1, recall: 1, f1: 1 });
  });

  it('pools days by adding counts (micro average), not by averaging scores', () => {
    const day1 = pairCounts(['a', 'a'], ['e', 'e']); // 1 right
    const day2 = pairCounts(['a', 'a', 'a'], ['e', 'f', 'g']); // 3 wrong
    const s = pairwiseScores(addPairCounts(day1, day2));
    expect(s.precision).toBeCloseTo(0.25);
    expect(s.recall).toBe(1);
  });

  it('refuses lists of different lengths', () => {
    expect(() => pairCounts(['a'], ['a', 'b'])).toThrow(/1 items, gold 2/);
  });
});

describe('B-cubed scores', () => {
  it('averages per-headline precision and recall', () => {
    // Precision per item: 1, 1, 1/2, 1/2, 1 -> 4/5. Recall: 2/3, 2/3, 1/3, 1, 1 -> 11/15.
    const s = bcubedScores(bcubedSums(predicted, gold));
    expect(s.precision).toBeCloseTo(0.8);
    expect(s.recall).toBeCloseTo(11 / 15);
    expect(s.f1).toBeCloseTo((2 * 0.8 * (11 / 15)) / (0.8 + 11 / 15));
  });

  it('flatters merge-nothing when most events are told once', () => {
    // Recall per item: 1/3, 1/3, 1/3, 1, 1 -> 3/5.
    const s = bcubedScores(bcubedSums(['1', '2', '3', '4', '5'], gold));
    expect(s.precision).toBe(1);
    expect(s.recall).toBeCloseTo(0.6);
    expect(s.f1).toBeCloseTo(0.75);
  });
});

describe('events told twice', () => {
  it('names each event that more than one brief sentence tells, with the sentences', () => {
    expect(toldTwice([['fed'], ['hack'], ['fed'], [], ['etf'], ['fed']])).toEqual([{ event: 'fed', items: [0, 2, 5] }]);
  });

  it('does not count a sentence twice for one event', () => {
    expect(toldTwice([['fed', 'fed'], ['hack']])).toEqual([]);
  });
});
