/**
 * Which ranked stories make the paragraph: one sentence per piece of news, so stories that
 * repeat a market sentence ("Ether returns to $3,000" when the prices sentence says it),
 * newsletter roundups, and the same news told twice (clusters the ranker kept apart) are
 * left out, then the best-ranked are taken with a cap per section so the day is covered.
 */
import { INDICATOR_IDS, type Quote, type Snapshot, type Story } from '../../domain.ts';
import { shortHeadline, storyOutlets } from './headline.ts';
import { assetAliases, roundCrossing } from './market.ts';
import { sectionFor } from './sections.ts';
import { hasPlainTelling } from './telling.ts';

/** At most this many stories per section while others wait. */
export const SECTION_CAP = 3;

/** Newsletters and roundups that bundle several stories under one headline. */
const ROUNDUP =
  /^(?:morning minute|first mover|crypto daybook|the protocol|the node|daily digest|daily recap|weekly recap|week in review|this week in|crypto long & short|market wrap)\b|\b(?:newsletter|roundup|round-up)\b/i;

/** Words too common in crypto news to show two headlines tell the same story. */
const GENERIC = new Set(
  `a an the and or but of to in on at for with by from as into over after before amid against about than its is are was
  were be has have had will would could should may might can says said say new first now not no more this that how why
  what who while up down out off back again still all per via vs bitcoin btc crypto cryptocurrency cryptocurrencies
  ether ethereum eth etf etfs price prices market markets token tokens coin coins million billion trillion percent
  report reports data week day today year time`.split(/\s+/),
);

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, case-insensitive. */
export function mentions(text: string, words: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return words.some((w) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegex(w.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(lower));
}

const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mn: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9 };

/** Numbers in a headline with their scale: "$3,000" -> 3000, "$3K" -> 3000, "$128.7M" -> 128.7e6. */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|mn|m|million|bn|b|billion)?(?![\p{L}\d])/giu)) {
    const n = Number((m[1] ?? '').replace(/,/g, ''));
    if (Number.isFinite(n)) out.push(n * (MULTIPLIERS[(m[2] ?? '').toLowerCase()] ?? 1));
  }
  return out;
}

const near = (a: number, b: number, tolerance: number): boolean => b !== 0 && Math.abs(a - b) / Math.abs(b) <= tolerance;

/** A story that only says what a market sentence already says. */
export function repeatsMarket(story: Story, snapshot: Snapshot): boolean {
  const title = story.title;
  if (snapshot.indicators.some((i) => i.id === INDICATOR_IDS.fearGreed) && /fear\s*(?:&|and)\s*greed/i.test(title)) return true;
  if (repeatsEtfFlow(title, snapshot)) return true;
  return snapshot.quotes.some((q) => repeatsQuote(title, story, q));
}

/** "Bitcoin ETFs log $128.7M in net inflows" when the ETF sentence says $128.7 million. */
function repeatsEtfFlow(title: string, snapshot: Snapshot): boolean {
  if (!/\betfs?\b/i.test(title) || !/\b(?:in|out)?flows?\b/i.test(title)) return false;
  const flows = snapshot.indicators.filter((i) => i.id === INDICATOR_IDS.etfFlowBtc || i.id === INDICATOR_IDS.etfFlowEth);
  const numbers = numbersIn(title);
  return flows.some((f) => numbers.some((n) => near(n, Math.abs(f.value) * 1e6, 0.01)));
}

function repeatsQuote(title: string, story: Story, q: Quote): boolean {
  if (!mentions(title, assetAliases(q))) return false;
  const level = roundCrossing(q)?.level;
  const close = numbersIn(title).some((n) => near(n, q.priceUsd, 0.025) || (level !== undefined && near(n, level, 0.001)));
  return close || (sectionFor(story.topics) === 'prices' && /\bprices?\b/i.test(title));
}

export function isRoundup(story: Story): boolean {
  return ROUNDUP.test(story.title.trim());
}

/**
 * A headline with words in it (feeds do send "", "!" or bare punctuation), and some telling
 * that is not only a question or a teaser.
 */
export function isUsable(story: Story): boolean {
  return /[\p{L}\p{N}]/u.test(shortHeadline(story.title, storyOutlets(story))) && hasPlainTelling(story);
}

function tokens(story: Story): Set<string> {
  const text = story.sources.map((s) => s.title).concat(story.title).join(' ').toLowerCase();
  const out = new Set<string>();
  for (const raw of text.split(/[^\p{L}\p{N}']+/u)) {
    let w = raw.replace(/'s$|'/g, '');
    if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
    if (w.length < 2 || GENERIC.has(w) || /^(?:19|20)\d\d$/.test(w)) continue;
    out.add(w);
  }
  return out;
}

/**
 * Drops a story that shares two or more distinctive words (found in few of the day's stories)
 * with a better-ranked one: "Beige Book: summary of commentary..." after "Fed's Beige Book
 * shows little change...".
 */
export function dropRetellings(stories: readonly Story[], tokensOf: (story: Story) => Set<string> = tokens): Story[] {
  const sets = stories.map(tokensOf);
  const df = new Map<string, number>();
  for (const set of sets) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
  const rare = Math.max(3, Math.floor(stories.length / 10));
  const kept: number[] = [];
  stories.forEach((_, i) => {
    const mine = [...sets[i]!].filter((t) => (df.get(t) ?? 0) <= rare);
    const dup = kept.some((k) => mine.filter((t) => sets[k]!.has(t)).length >= 2);
    if (!dup) kept.push(i);
  });
  return kept.map((i) => stories[i]!);
}

export interface Selection {
  /** The best story left: lead B. */
  leadStory: Story | null;
  /** The stories to write, in rank order. */
  chosen: Story[];
}

/**
 * @example selectStories(rankedStories, snapshot, 6) // { leadStory, chosen: [...up to 6] }
 */
export function selectStories(stories: readonly Story[], snapshot: Snapshot, slots: number): Selection {
  const usable = stories.filter(isUsable);
  let candidates = dropRetellings(usable.filter((s) => !isRoundup(s) && !repeatsMarket(s, snapshot)));
  // Only roundups or repeats: better to cite them than to say no news was gathered.
  if (candidates.length === 0) candidates = dropRetellings(usable);
  const leadStory = candidates[0] ?? null;
  const chosen = new Set<Story>();
  const perSection = new Map<string, number>();
  for (const s of candidates) {
    if (chosen.size >= slots) break;
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
  return { leadStory, chosen: candidates.filter((s) => chosen.has(s)) };
}
