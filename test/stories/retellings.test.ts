/**
 * Same-event clustering on real retellings (fixtures/real-retellings.ts): one event told in
 * seven wordings is one story; the same actors doing something else, and two hacks on one
 * day, stay apart.
 */
import { describe, expect, it } from 'vitest';
import { clusterHeadlines } from '../../src/stories/cluster.ts';
import { buildStories } from '../../src/stories/index.ts';
import { FED_HOLDS_DAY, FED_VISIT_DAY, type Row } from './fixtures/real-retellings.ts';

function groups(rows: Row[]): string[][] {
  const eventOf = new Map(rows.map((r) => [r.headline, r.event]));
  return clusterHeadlines(rows.map((r) => r.headline)).map((c) => c.headlines.map((h) => eventOf.get(h) ?? '?'));
}

describe('one event told in many wordings', () => {
  it('merges the tellings of the Fed visit into one story (six of seven; the renovation-tour telling shares only "Trump" and "Fed")', () => {
    const found = groups(FED_VISIT_DAY);
    expect(found[0]).toHaveLength(6);
    expect(found.flat()).toHaveLength(7);
  });

  it('merges the four tellings of the Fed holding rates, and keeps the minutes and both hacks apart', () => {
    const found = groups(FED_HOLDS_DAY);
    expect(found.find((g) => g.includes('fed-holds'))).toEqual(['fed-holds', 'fed-holds', 'fed-holds', 'fed-holds']);
    for (const other of ['fed-minutes', 'upbit-hack', 'bybit-hack']) expect(found.filter((g) => g.includes(other))).toEqual([[other]]);
  });

  it('the two days together: no story mixes two events, the visit is not merged with the rate decision six days later', () => {
    const found = groups([...FED_VISIT_DAY, ...FED_HOLDS_DAY]);
    for (const g of found) expect(new Set(g).size).toBe(1);
    expect(Math.max(...found.filter((g) => g.includes('fed-visit')).map((g) => g.length))).toBe(6);
    // With the visit's seven Trump headlines in the corpus, "despite Trump push" weighs less: three of four.
    expect(found.find((g) => g.includes('fed-holds'))?.length).toBeGreaterThanOrEqual(3);
  });

  it('ranks the visit first, as one story with six outlets', () => {
    const stories = buildStories(FED_VISIT_DAY.map((r) => r.headline), { now: new Date('2025-07-25T07:00:00Z'), maxAgeHours: 36, recentlyCovered: [] });
    expect(stories[0]?.sources).toHaveLength(6);
    expect(stories[0]?.title).toMatch(/Trump/);
  });
});
