/**
 * The extractive writer: a Mars-Morning-News-style brief built only from the snapshot's
 * numbers and the stories' own headlines, with no model and no key. Same input, same brief
 * (no clock, no randomness: createdAt is `input.now`). It writes English only: `language`
 * is always "en" and a note says so when another language was asked for.
 */
import type { Brief, BriefItem, Story } from '../domain.ts';
import type { WriterInput } from './types.ts';
import { marketDirection, buildMarketLine, marketItems, marketLeads, type MarketLead } from './extractive/market.ts';
import { shortHeadline, storyOutlets, storySentence } from './extractive/headline.ts';
import { sectionFor, sectionRank } from './extractive/sections.ts';
import { buildExtractiveClosing, buildNotes, buildSources } from './extractive/notes.ts';

/** The paragraph's length: 6-10 sentences on a normal day. */
export const MAX_ITEMS = 10;
/** At most this many stories per section while others wait, so the paragraph covers the day. */
const SECTION_CAP = 3;

const NO_DATA_TEXT = 'No market data or news was gathered for this brief; every source failed or returned nothing.';

function mentions(title: string, words: readonly string[]): boolean {
  const lower = title.toLowerCase();
  return words.some((w) => new RegExp(`(^|[^\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'u').test(lower));
}

/** A story that tells the same fact as the market lead ("Ether returns to $3,000"). */
function repeatsLead(story: Story, lead: MarketLead | null): boolean {
  if (!lead) return false;
  if (lead.kind === 'quote' && sectionFor(story.topics) !== 'prices') return false;
  return mentions(story.title, lead.aliases);
}

/** A headline with words in it (feeds do send "", "!" or bare punctuation). */
function usable(story: Story): boolean {
  return /[\p{L}\p{N}]/u.test(shortHeadline(story.title, storyOutlets(story)));
}

/** The top-ranked story that does not repeat lead A: lead B. */
function pickLeadStory(stories: readonly Story[], lead: MarketLead | null): Story | null {
  const candidates = stories.filter(usable);
  return candidates.find((s) => !repeatsLead(s, lead)) ?? candidates[0] ?? null;
}

/**
 * Up to `slots` stories in rank order, `SECTION_CAP` per section first, lead B always in;
 * stories that only repeat lead A are left out (the market sentence already says it).
 */
function chooseStories(stories: readonly Story[], slots: number, must: Story | null, lead: MarketLead | null): Story[] {
  const chosen = new Set<Story>(must ? [must] : []);
  const perSection = new Map<string, number>();
  if (must) perSection.set(sectionFor(must.topics), 1);
  const candidates = stories.filter((s) => usable(s) && !repeatsLead(s, lead));
  for (const s of candidates) {
    if (chosen.size >= slots) break;
    if (chosen.has(s)) continue;
    const section = sectionFor(s.topics);
    const count = perSection.get(section) ?? 0;
    if (count >= SECTION_CAP) continue;
    perSection.set(section, count + 1);
    chosen.add(s);
  }
  for (const s of candidates) {
    if (chosen.size >= slots) break;
    chosen.add(s);
  }
  return stories.filter((s) => chosen.has(s));
}

function titleLeads(
  lead: MarketLead | null,
  runnerUp: MarketLead | null,
  leadStory: Story | null,
  stories: readonly Story[],
): [string, string] {
  const short = (s: Story) => shortHeadline(s.title, storyOutlets(s));
  if (lead) {
    if (leadStory) return [lead.text, short(leadStory)];
    return [lead.text, runnerUp && runnerUp.score > 0 ? runnerUp.text : 'no news gathered'];
  }
  const usableStories = stories.filter(usable);
  const [first, second] = usableStories;
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
  const { snapshot, stories } = input;
  const leads = marketLeads(snapshot);
  const lead = leads[0] ?? null;
  const market = marketItems(snapshot, lead);
  const leadStory = pickLeadStory(stories, lead);
  const chosen = chooseStories(stories, MAX_ITEMS - market.length, leadStory, lead);
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
  const [leadA, leadB] = titleLeads(lead, leads[1] ?? null, leadStory, stories);
  return {
    name: input.briefName,
    title: `${input.briefName} | ${leadA}, ${leadB}`,
    leads: [leadA, leadB],
    items,
    marketLine: buildMarketLine(snapshot),
    sources: buildSources(cited),
    notes: buildNotes(snapshot, { stories, requestedLanguage: input.language }),
    closing: buildExtractiveClosing(snapshot),
    writer: 'extractive',
    writerReason: null,
    language: 'en',
    createdAt: input.now.toISOString(),
    dataAsOf: snapshot.takenAt,
    direction: marketDirection(snapshot),
  };
}
