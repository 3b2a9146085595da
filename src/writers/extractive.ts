/**
 * The extractive writer: a Mars-Morning-News-style brief built only from the snapshot's
 * numbers and the stories' own headlines, with no model and no key. Same input, same brief
 * (no clock, no randomness: createdAt is `input.now`). It writes English only: `language`
 * is always "en" and a note says so when another language was asked for.
 */
import type { Brief, BriefItem, Story } from '../domain.ts';
import type { WriterInput } from './types.ts';
import { buildMarketLine, marketDirection, marketItems, marketLeads, type MarketLead } from './extractive/market.ts';
import { selectStories } from './extractive/select.ts';
import { storySentence, storyShortHeadline } from './extractive/headline.ts';
import { sectionFor, sectionRank } from './extractive/sections.ts';
import { buildExtractiveClosing, buildNotes, buildSources } from './extractive/notes.ts';
import { datedItems } from './extractive/dated.ts';
import { DEFAULT_FRESHNESS, judgeFreshness } from './freshness.ts';

/** The paragraph's length: 6-10 sentences on a normal day. */
export const MAX_ITEMS = 10;

const NO_DATA_TEXT = 'No market data or news was gathered for this brief; every source failed or returned nothing.';

function titleLeads(
  lead: MarketLead | null,
  runnerUp: MarketLead | null,
  leadStory: Story | null,
  chosen: readonly Story[],
): [string, string] {
  const short = (s: Story) => storyShortHeadline(s);
  if (lead) {
    if (leadStory) return [lead.text, short(leadStory)];
    return [lead.text, runnerUp ? runnerUp.text : 'no news gathered'];
  }
  const [first, second] = chosen;
  if (!first) return ['No market data', 'no news gathered'];
  return [short(first), second ? short(second) : 'no market data'];
}

/**
 * Writes the brief from the snapshot and the ranked stories: title `<name> | <lead A>, <lead B>`,
 * one paragraph of short attributed sentences ordered macro, prices, ETFs, exchanges,
 * regulation, the rest; the market line, notes for missing data, cited sources and a closing.
 * @example
 * const brief = writeExtractive({ snapshot, stories, briefName: 'Mars Morning News', language: 'en', now: new Date() });
 * brief.title // "Mars Morning News | ETH returns to $3,000, Binance faces $1 billion terrorism lawsuit"
 */
export function writeExtractive(input: WriterInput): Brief {
  const { stories } = input;
  const freshness = input.freshness ?? DEFAULT_FRESHNESS;
  // Only current figures are written as today's; stale ones are dated or left out.
  const snapshot = judgeFreshness(input.snapshot, freshness).current;
  const leads = marketLeads(snapshot);
  const lead = leads[0] ?? null;
  const market = [...marketItems(snapshot, leads), ...datedItems(input.snapshot, freshness)];
  const { leadStory, chosen } = selectStories(stories, snapshot, MAX_ITEMS - market.length);
  const rank = new Map(stories.map((s, i) => [s, i]));

  const ordered = [
    ...market.map((item, i) => ({ item: item as BriefItem | null, story: null as Story | null, key: i })),
    ...chosen.map((story) => ({ item: null, story, key: 100 + (rank.get(story) ?? 0) })),
  ].map((e) => ({ ...e, section: e.item?.section ?? sectionFor(e.story!.topics) }));
  ordered.sort((a, b) => sectionRank(a.section) - sectionRank(b.section) || a.key - b.key);

  let variant = 0;
  const items: BriefItem[] = ordered.map((e) =>
    e.item ?? { text: storySentence(e.story!, variant++), storyIds: [e.story!.id], section: e.section },
  );
  if (items.length === 0) items.push({ text: NO_DATA_TEXT, storyIds: [], section: 'other' });

  const cited = ordered.flatMap((e) => (e.story ? [e.story] : []));
  const [leadA, leadB] = titleLeads(lead, leads[1] ?? null, leadStory, chosen);
  return {
    name: input.briefName,
    title: `${input.briefName} | ${leadA}, ${leadB}`,
    leads: [leadA, leadB],
    items,
    marketLine: buildMarketLine(snapshot),
    sources: buildSources(cited),
    notes: buildNotes(input.snapshot, { stories, requestedLanguage: input.language, freshness }),
    closing: buildExtractiveClosing(input.snapshot, freshness),
    writer: 'extractive',
    writerReason: null,
    language: 'en',
    createdAt: input.now.toISOString(),
    dataAsOf: input.snapshot.takenAt,
    direction: marketDirection(snapshot),
  };
}
