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

/** A price move leads the title only when it is the day's news: a round level crossed, or a large move. */
export const LEAD_MOVE_PCT: Readonly<Record<string, number>> = { BTC: 5, ETH: 5 };
export const LEAD_MOVE_PCT_OTHER = 10;

export function isMarketNews(lead: MarketLead): boolean {
  // Sentiment entering or leaving an extreme band is the day's mood, and news.
  if (lead.kind === 'sentiment') return /extreme/u.test(lead.text) && !/holds/u.test(lead.text);
  if (lead.kind !== 'quote' || !lead.quote) return false;
  if (lead.crossing) return true;
  const change = Math.abs(lead.quote.change24hPct ?? 0);
  return change >= (LEAD_MOVE_PCT[lead.quote.symbol.toUpperCase()] ?? LEAD_MOVE_PCT_OTHER);
}

/**
 * The title's two leads: the day's two biggest news events. A market move is one of them only
 * when it is news (isMarketNews); market facts fill in only when there are not two stories.
 */
function titleLeads(leads: readonly MarketLead[], stories: readonly Story[]): [string, string] {
  const short = (s: Story) => storyShortHeadline(s);
  const texts: string[] = [];
  const news = leads.find(isMarketNews);
  if (news) texts.push(news.text);
  for (const s of stories) {
    if (texts.length >= 2) break;
    const text = short(s);
    if (!texts.includes(text)) texts.push(text);
  }
  for (const l of leads) {
    if (texts.length >= 2) break;
    if (!texts.includes(l.text)) texts.push(l.text);
  }
  return [texts[0] ?? 'No market data', texts[1] ?? (stories.length === 0 ? 'no news gathered' : 'no market data')];
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
  // The stories in rank order, the best one left by selection first.
  const ranked = [...chosen].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  const [leadA, leadB] = titleLeads(leads, leadStory ? [leadStory, ...ranked.filter((s) => s !== leadStory)] : ranked);
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
