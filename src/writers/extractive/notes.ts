/**
 * The brief's honest edges, in plain words for readers: what was missing this morning ("SEC
 * press releases were unavailable this morning"), which figures are out of date, which
 * stories were cited, and how the brief was made. Status codes, URLs and server messages stay
 * in the snapshot's statuses (`show`, `sources`, `/healthz`, the logs). Shared by every writer.
 */
import { INDICATOR_IDS, type BriefSource, type Snapshot, type SourceStatus, type Story } from '../../domain.ts';
import { DEFAULT_FEEDS } from '../../config.ts';
import { dataSourceName } from './labels.ts';
import { storyOutlets } from './headline.ts';
import { DEFAULT_FRESHNESS, dayLabel, freshSourceCounts, judgeFreshness, type FreshnessRules } from '../freshness.ts';

/** What a reader calls each source's contribution: "Prices from CoinGecko", "SEC press releases". */
const SUBJECTS: Record<string, string> = {
  coingecko: 'Prices from CoinGecko',
  binance: 'Prices from Binance',
  fear_greed: 'The Fear & Greed index',
  fred: 'Rates from FRED',
  polymarket: 'FOMC odds from Polymarket',
  etf_flows: 'ETF flows from Farside',
};
/** Feeds of official bodies publish press releases, not headlines. */
const FEED_SUBJECTS: Record<string, string> = { sec: 'SEC press releases', 'fed-monetary': 'Federal Reserve press releases' };
const SINGULAR: ReadonlySet<string> = new Set(['fear_greed']);

/**
 * "SEC press releases", "CoinDesk headlines", "Rates from FRED".
 * @example readerSubject('feed:sec') // "SEC press releases"
 */
export function readerSubject(id: string, feedNames: Readonly<Record<string, string>> = {}): string {
  const known = SUBJECTS[id];
  if (known) return known;
  if (id.startsWith('feed:')) {
    const feedId = id.slice('feed:'.length);
    const name = feedNames[feedId] ?? DEFAULT_FEEDS.find((f) => f.id === feedId)?.name;
    return FEED_SUBJECTS[feedId] ?? `${name ?? feedId} headlines`;
  }
  return `Data from ${id}`;
}

const were = (id: string) => (SINGULAR.has(id) ? 'was' : 'were');

function statusNote(s: SourceStatus, feedNames: Readonly<Record<string, string>>): string | null {
  const subject = readerSubject(s.id, feedNames);
  if (!s.ok) return `${subject} ${were(s.id)} unavailable this morning.`;
  if (s.fallback) return `Prices came from ${dataSourceName(s.fallback)}: CoinGecko was unavailable this morning.`;
  // A feed that dropped a malformed item is still a full feed to a reader; a data source that lost a series is not.
  if (s.error && !s.id.startsWith('feed:')) return `${subject} ${were(s.id)} only partly available this morning.`;
  return null;
}

/** Kinds of data a brief normally has, and the sources that give them (no status: switched off, not missing). */
const KINDS: ReadonlyArray<{ missing: (s: Snapshot) => boolean; note: string; sources: string[] }> = [
  { missing: (s) => s.quotes.length === 0, note: 'No price quotes were gathered.', sources: ['coingecko', 'binance'] },
  { missing: (s) => !has(s, INDICATOR_IDS.fearGreed), note: 'No Fear & Greed reading.', sources: ['fear_greed'] },
  {
    missing: (s) => !has(s, INDICATOR_IDS.fedFunds) && !has(s, INDICATOR_IDS.us10y),
    note: 'No rates data (fed funds, 10-year yield).',
    sources: ['fred'],
  },
  { missing: (s) => !has(s, INDICATOR_IDS.fomcOdds), note: 'No FOMC odds.', sources: ['polymarket'] },
  {
    missing: (s) => !has(s, INDICATOR_IDS.etfFlowBtc) && !has(s, INDICATOR_IDS.etfFlowEth),
    note: 'No ETF flow data.',
    sources: ['etf_flows'],
  },
];

function has(s: Snapshot, id: string): boolean {
  return s.indicators.some((i) => i.id === id);
}

/** Stale figures in words: prices and odds left out, the rest dated. */
function staleNotes(snapshot: Snapshot, rules: Readonly<FreshnessRules>): string[] {
  const { stale } = judgeFreshness(snapshot, rules);
  const notes: string[] = [];
  const quotes = stale.filter((f) => f.kind === 'quote');
  if (quotes.length > 0) {
    const newest = quotes.map((q) => q.asOf).sort().at(-1)!;
    const which = quotes.length === snapshot.quotes.length ? 'Prices are' : `Prices of ${quotes.length} of ${snapshot.quotes.length} coins are`;
    notes.push(`${which} left out: the latest quotes, from ${dayLabel(newest, snapshot.takenAt)}, are out of date.`);
  }
  for (const f of stale.filter((x) => x.kind === 'indicator')) {
    if (f.id === INDICATOR_IDS.fomcOdds) notes.push('FOMC odds are left out: the market is past its decision or out of date.');
  }
  const dated = [...new Set(stale.filter((f) => f.treatment === 'dated').map((f) => f.status))];
  for (const status of dated) {
    const newest = stale.filter((f) => f.status === status && f.treatment === 'dated').map((f) => f.asOf).sort().at(-1)!;
    notes.push(`${readerSubject(status)} ${were(status)} last published on ${dayLabel(newest, snapshot.takenAt)}, not this morning.`);
  }
  return notes;
}

export interface NotesOptions {
  /** The ranked stories the brief was written from (an empty list gets a note). */
  stories: readonly Story[];
  /** The language the brief was asked for; the extractive writer only writes English. */
  requestedLanguage?: string;
  /** Feed id -> display name, for feeds not in DEFAULT_FEEDS. */
  feedNames?: Readonly<Record<string, string>>;
  /** Freshness rules (default DEFAULT_FRESHNESS). */
  freshness?: Readonly<FreshnessRules>;
}

/**
 * One plain line per source that failed (or half-failed) this morning, per kind of figure that
 * is out of date, and per kind of data an enabled source did not give; never the same line twice.
 * A source the operator switched off has no status, so it is not reported missing.
 * @example buildNotes(snapshot, { stories }) // ["SEC press releases were unavailable this morning."]
 */
export function buildNotes(snapshot: Snapshot, opts: NotesOptions): string[] {
  const feedNames = opts.feedNames ?? {};
  const notes = snapshot.statuses.flatMap((s) => statusNote(s, feedNames) ?? []);
  notes.push(...staleNotes(snapshot, opts.freshness ?? DEFAULT_FRESHNESS));
  const ran = new Set(snapshot.statuses.map((s) => s.id));
  const failed = new Set(snapshot.statuses.filter((s) => !s.ok).map((s) => s.id));
  for (const kind of KINDS) {
    const enabled = kind.sources.some((id) => ran.has(id));
    if (enabled && kind.missing(snapshot) && !kind.sources.some((id) => failed.has(id))) notes.push(kind.note);
  }
  if (opts.stories.length === 0) {
    const feeds = snapshot.statuses.filter((s) => s.id.startsWith('feed:'));
    const allFeedsFailed = feeds.length > 0 && feeds.every((s) => !s.ok);
    if (!allFeedsFailed) notes.push(snapshot.headlines.length === 0 ? 'No news headlines were gathered.' : 'No recent news stories.');
  }
  const lang = opts.requestedLanguage;
  if (lang && !/^en\b/i.test(lang)) {
    notes.push(`Written in English: the extractive writer does not translate (requested "${lang}").`);
  }
  return [...new Set(notes)];
}

/**
 * One entry per cited story, in the order given: the lead outlet, its headline and link.
 * @example buildSources([story]) // [{ name: "CoinDesk", title: "...", url: "https://..." }]
 */
export function buildSources(stories: readonly Story[]): BriefSource[] {
  return stories.map((s) => ({ name: storyOutlets(s)[0] ?? s.sources[0]!.sourceName, title: s.title, url: s.url }));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "06:30 UTC on 27 Nov 2025", from an ISO time, without the host's locale or zone. */
export function utcStamp(iso: string): string {
  const d = new Date(iso);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm} UTC on ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/**
 * "from 12 of 13 sources at 06:30 UTC on 27 Nov 2025" (or "from data gathered at ..." when
 * the snapshot carries no statuses); only sources that answered with current figures count.
 */
export function describeGathering(snapshot: Snapshot, freshness: Readonly<FreshnessRules> = DEFAULT_FRESHNESS): string {
  // A source whose every figure is out of date gave nothing for this morning: it does not count.
  const { ok, total } = freshSourceCounts(snapshot, freshness);
  const when = utcStamp(snapshot.takenAt);
  return total === 0 ? `from data gathered at ${when}` : `from ${ok} of ${total} sources at ${when}`;
}

/**
 * @example buildExtractiveClosing(snapshot)
 * // "Summary generated by morning-brief's extractive writer from 12 of 13 sources at 06:30 UTC on 27 Nov 2025; no AI model was used."
 */
export function buildExtractiveClosing(snapshot: Snapshot, freshness: Readonly<FreshnessRules> = DEFAULT_FRESHNESS): string {
  return `Summary generated by morning-brief's extractive writer ${describeGathering(snapshot, freshness)}; no AI model was used.`;
}
