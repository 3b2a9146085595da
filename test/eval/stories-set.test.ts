/**
 * The labelled evaluation set (eval/stories/en) stays valid and big enough to mean something:
 * every day file passes the schema, and the set keeps its minimum size so it cannot shrink silently.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadStoryDays } from '../../scripts/eval/load.ts';
import { StoryDaySchema } from '../../scripts/eval/schema.ts';

const DIR = fileURLToPath(new URL('../../eval/stories/en/', import.meta.url));

/** The issue's minimums for the set (issue 9, point 2). */
const MIN_DAYS = 8;
const MIN_HEADLINES = 400;
const MIN_OUTLETS = 5;
const MIN_OUTLETS_FOR_ONE_EVENT = 5;

describe('the labelled story set', async () => {
  const { days, errors } = await loadStoryDays(DIR);

  it('has no invalid day file', () => {
    expect(errors).toEqual([]);
  });

  it(`has at least ${MIN_DAYS} days, ${MIN_HEADLINES} headlines and ${MIN_OUTLETS} outlets`, () => {
    const headlines = days.flatMap((d) => d.day.headlines);
    expect(days.length).toBeGreaterThanOrEqual(MIN_DAYS);
    expect(headlines.length).toBeGreaterThanOrEqual(MIN_HEADLINES);
    expect(new Set(headlines.map((h) => h.outlet)).size).toBeGreaterThanOrEqual(MIN_OUTLETS);
  });

  it('has a day where one event is told by 5 or more outlets, and hard negatives', () => {
    const widest = Math.max(
      ...days.flatMap((d) => {
        const outlets = new Map<string, Set<string>>();
        for (const h of d.day.headlines) outlets.set(h.event, (outlets.get(h.event) ?? new Set()).add(h.outlet));
        return [...outlets.values()].map((s) => s.size);
      }),
    );
    expect(widest).toBeGreaterThanOrEqual(MIN_OUTLETS_FOR_ONE_EVENT);
    expect(days.reduce((n, d) => n + d.day.hardNegatives.length, 0)).toBeGreaterThanOrEqual(days.length);
  });

  it('gives every headline its provenance: a repository file at a commit, or a page URL', () => {
    for (const { day } of days) {
      const byId = new Map(day.provenance.map((p) => [p.id, p]));
      for (const h of day.headlines) expect(byId.get(h.provenance), `${day.date} ${h.id}`).toBeDefined();
    }
  });
});

describe('the day schema', () => {
  const base = {
    date: '2020-01-06',
    language: 'en',
    briefAt: '2020-01-07T06:30:00Z',
    description: 'test day',
    provenance: [{ id: 'p', kind: 'page', url: 'https://example.com/list', format: 'listing page' }],
    events: { fed: 'The Fed holds rates' },
    headlines: [
      { id: 'h1', outlet: 'CoinDesk', sourceId: 'coindesk', title: 'Fed holds', url: 'https://example.com/a', publishedAt: '2020-01-06T10:00:00Z', event: 'fed', provenance: 'p' },
    ],
  };

  it('accepts a well-formed day', () => {
    expect(StoryDaySchema.safeParse(base).success).toBe(true);
  });

  it('rejects an event label that the day does not describe, and an unknown provenance', () => {
    const bad = { ...base, headlines: [{ ...base.headlines[0], event: 'hack', provenance: 'q' }] };
    const messages = StoryDaySchema.safeParse(bad).error?.issues.map((i) => i.message) ?? [];
    expect(messages).toContain('event "hack" is not described in events');
    expect(messages).toContain('unknown provenance "q"');
  });

  it('rejects the same URL twice in a day and a headline published after the brief', () => {
    const h = base.headlines[0]!;
    const bad = { ...base, headlines: [h, { ...h, id: 'h2', url: 'https://example.com/a?utm_source=x', publishedAt: '2020-01-08T00:00:00Z' }] };
    const messages = StoryDaySchema.safeParse(bad).error?.issues.map((i) => i.message) ?? [];
    expect(messages.some((m) => m.startsWith('duplicate url'))).toBe(true);
    expect(messages).toContain('published after briefAt');
  });
});
