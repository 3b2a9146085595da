/**
 * Scores one labelled day: turns its headlines into the pipeline's `Headline`s, runs the
 * real clustering and ranking (buildStories) and the extractive writer on a snapshot with no
 * market data, and compares what came out with the hand labels.
 */
import type { Brief, Headline, Snapshot, Story } from '../../src/domain.ts';
import { DEFAULT_FEEDS } from '../../src/config.ts';
import { htmlToText } from '../../src/sources/feed/html-text.ts';
import { buildStories, canonicalUrl, clusterHeadlines } from '../../src/stories/index.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { writeExtractiveZh } from '../../src/writers/extractive-zh/index.ts';
import { bcubedSums, pairCounts, toldTwice, type BcubedSums, type PairCounts } from './metrics.ts';
import type { StoryDay } from './schema.ts';

/** The pipeline's default STORIES_MAX_AGE_HOURS. */
export const MAX_AGE_HOURS = 36;

export interface DayScore {
  date: string;
  headlines: number;
  outlets: number;
  events: number;
  /** Events told by 5 or more outlets. */
  bigEvents: number;
  stories: number;
  /** Headlines buildStories left out (too old for the brief's clock): scored as singletons. */
  dropped: number;
  /** Stories whose tellings the clusterer's partition puts in different clusters (should be 0). */
  disagreements: string[];
  pairs: PairCounts;
  bcubed: BcubedSums;
  baselinePairs: PairCounts;
  baselineBcubed: BcubedSums;
  /** Hard negatives (same actors, different events) that ended up in one story. */
  hardNegativesMerged: { events: [string, string]; why: string }[];
  hardNegatives: number;
  /** Stories that mix events: the labels of each, biggest first. */
  impureStories: { title: string; events: string[] }[];
  /** Events the clusterer split: how many stories each was spread over. */
  splitEvents: { event: string; stories: number; outlets: number }[];
  toldTwice: { event: string; sentences: string[] }[];
  leads: { text: string; event: string | null }[];
  briefItems: number;
}

const HOUR_MS = 3_600_000;

/** buildStories' own whitespace cleaning, so clusterHeadlines sees what buildStories sees. */
function clean(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

const FEED_WEIGHTS: Record<string, number> = Object.fromEntries(DEFAULT_FEEDS.map((f) => [f.id, f.weight]));

function tokens(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9$%.]+/g) ?? []);
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const t of a) if (b.has(t)) n++;
  return n / Math.max(1, Math.min(a.size, b.size));
}

export function toHeadline(h: StoryDay['headlines'][number]): Headline {
  return {
    title: htmlToText(h.title),
    url: h.url,
    source: h.sourceId,
    sourceName: h.outlet,
    publishedAt: h.publishedAt,
    summary: htmlToText(h.summary ?? ''),
  };
}

/** The snapshot a brief of that morning would have had: only the day's headlines, every feed ok. */
export function daySnapshot(day: StoryDay, headlines: Headline[]): Snapshot {
  const feeds = [...new Set(headlines.map((h) => h.source))].sort();
  return {
    takenAt: day.briefAt,
    quotes: [],
    indicators: [],
    headlines,
    statuses: feeds.map((id) => ({
      id,
      ok: true,
      error: null,
      ms: 0,
      items: headlines.filter((h) => h.source === id).length,
      notModified: false,
      fallback: null,
    })),
  };
}

export function scoreDay(day: StoryDay): DayScore & { brief: Brief; storyList: Story[] } {
  const headlines = day.headlines.map(toHeadline);
  const now = new Date(day.briefAt);
  const stories = buildStories(headlines, { now, maxAgeHours: MAX_AGE_HOURS, recentlyCovered: [], sourceWeights: FEED_WEIGHTS });

  // The partition: buildStories keeps one telling per outlet in a story, so the members come
  // from clusterHeadlines on the same fresh, cleaned headlines buildStories clusters.
  const oldest = now.getTime() - MAX_AGE_HOURS * HOUR_MS;
  const cleaned = new Map<Headline, number>();
  headlines.forEach((h, i) => {
    const t = Date.parse(h.publishedAt ?? '');
    if (!Number.isNaN(t) && t < oldest) return;
    cleaned.set({ ...h, title: clean(h.title), url: canonicalUrl(h.url), summary: clean(h.summary) }, i);
  });
  const clusterOf: (number | null)[] = day.headlines.map(() => null);
  clusterHeadlines([...cleaned.keys()]).forEach((c, k) => {
    for (const h of c.headlines) clusterOf[cleaned.get(h)!] = k;
  });

  // Map every story telling back to its labelled headline by feed and canonical URL.
  const indexByKey = new Map(day.headlines.map((h, i) => [`${h.sourceId} ${canonicalUrl(h.url)}`, i]));
  const indexOfSource = (s: Story['sources'][number]): number | undefined => indexByKey.get(`${s.source} ${canonicalUrl(s.url)}`);
  const labelOfSource = (s: Story['sources'][number]): string | null => {
    const i = indexOfSource(s);
    return i === undefined ? null : day.headlines[i]!.event;
  };
  const disagreements: string[] = [];
  for (const story of stories) {
    const clustersOfStory = new Set<number | null>();
    for (const s of story.sources) {
      const i = indexOfSource(s);
      if (i === undefined) throw new Error(`${day.date}: story source ${s.source} ${s.url} matches no labelled headline`);
      clustersOfStory.add(clusterOf[i] ?? null);
    }
    if (clustersOfStory.size > 1) disagreements.push(story.title);
  }
  const dropped = clusterOf.filter((c) => c === null).length;
  const predicted = clusterOf.map((c, i) => (c === null ? `dropped:${day.headlines[i]!.id}` : `c${c}`));
  const gold = day.headlines.map((h) => h.event);
  const noMerge = day.headlines.map((h) => h.id);

  const members = new Map<string, number[]>();
  predicted.forEach((c, i) => members.set(c, [...(members.get(c) ?? []), i]));
  const mixed = [...members.values()].filter((m) => new Set(m.map((i) => gold[i])).size > 1);
  const hardNegativesMerged = day.hardNegatives.filter((n) =>
    mixed.some((m) => m.some((i) => gold[i] === n.events[0]) && m.some((i) => gold[i] === n.events[1])),
  );
  const impureStories = mixed.map((m) => ({ title: day.headlines[m[0]!]!.title, events: m.map((i) => gold[i]!) }));

  const outletsByEvent = new Map<string, Set<string>>();
  const storiesByEvent = new Map<string, Set<string>>();
  day.headlines.forEach((h, i) => {
    outletsByEvent.set(h.event, (outletsByEvent.get(h.event) ?? new Set()).add(h.outlet));
    storiesByEvent.set(h.event, (storiesByEvent.get(h.event) ?? new Set()).add(predicted[i]!));
  });
  const splitEvents = [...storiesByEvent.entries()]
    .filter(([, s]) => s.size > 1)
    .map(([event, s]) => ({ event, stories: s.size, outlets: outletsByEvent.get(event)!.size }))
    .sort((a, b) => b.outlets - a.outlets || (a.event < b.event ? -1 : 1));

  // The brief: which event each sentence tells. A writer may word a story from any of its
  // tellings, so a sentence (or a title lead) gets the label of the telling whose words it
  // shares most; the story's lead telling when none shares any.
  // A zh day is written by the zh extractive writer, as a zh edition would be (issue 18).
  const write = /^zh\b/iu.test(day.language) ? writeExtractiveZh : writeExtractive;
  const brief = write({ snapshot: daySnapshot(day, headlines), stories, briefName: 'Morning Brief', language: day.language, now });
  const byId = new Map(stories.map((s) => [s.id, s]));
  const leadEvent = (story: Story): string | null => {
    const lead = story.sources.find((s) => s.title === story.title && s.url === story.url) ?? story.sources[0];
    return lead ? labelOfSource(lead) : null;
  };
  const tellingEvent = (text: string, among: readonly Story[]): { event: string | null; score: number } => {
    const t = tokens(text);
    let best: { event: string | null; score: number } = { event: among[0] ? leadEvent(among[0]) : null, score: 0 };
    for (const st of among) {
      for (const s of st.sources) {
        const score = overlap(t, tokens(s.title));
        if (score > best.score) best = { event: labelOfSource(s), score };
      }
    }
    return best;
  };
  const storyItems = brief.items.filter((it) => it.storyIds.length > 0);
  const storiesOf = (ids: readonly string[]): Story[] => ids.map((id) => byId.get(id)).filter((s): s is Story => s !== undefined);
  const itemEvents = storyItems.map((it) => {
    const { event } = tellingEvent(it.text, storiesOf(it.storyIds));
    return event === null ? [] : [event];
  });
  const twice = toldTwice(itemEvents).map((t) => ({ event: t.event, sentences: t.items.map((i) => storyItems[i]!.text) }));
  const briefStories = storiesOf(storyItems.flatMap((it) => it.storyIds));
  const leads = brief.leads.map((text) => {
    const { event, score } = tellingEvent(text, briefStories);
    return { text, event: score >= 0.5 ? event : null };
  });

  return {
    date: day.date,
    headlines: day.headlines.length,
    outlets: new Set(day.headlines.map((h) => h.outlet)).size,
    events: outletsByEvent.size,
    bigEvents: [...outletsByEvent.values()].filter((o) => o.size >= 5).length,
    stories: stories.length,
    dropped,
    disagreements,
    pairs: pairCounts(predicted, gold),
    bcubed: bcubedSums(predicted, gold),
    baselinePairs: pairCounts(noMerge, gold),
    baselineBcubed: bcubedSums(noMerge, gold),
    hardNegativesMerged,
    hardNegatives: day.hardNegatives.length,
    impureStories,
    splitEvents,
    toldTwice: twice,
    leads,
    briefItems: storyItems.length,
    brief,
    storyList: stories,
  };
}
