/**
 * The brief's honest edges: what was missing ("ETF flows unavailable: HTTP 403"), which
 * stories were cited, and how the brief was made. Shared by every writer.
 */
import { INDICATOR_IDS, type BriefSource, type Snapshot, type SourceStatus, type Story } from '../../domain.ts';
import { dataSourceName, statusLabel } from './labels.ts';
import { storyOutlets } from './headline.ts';

const MAX_ERROR_CHARS = 140;

function shortError(error: string | null): string {
  const line = (error ?? 'failed').split('\n')[0]!.replace(/\s+/g, ' ').trim() || 'failed';
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}

function statusNote(s: SourceStatus, feedNames: Readonly<Record<string, string>>): string | null {
  const label = statusLabel(s.id, feedNames);
  if (!s.ok) return `${label} unavailable: ${shortError(s.error)}`;
  if (s.fallback) return `${label}: served by the ${dataSourceName(s.fallback)} fallback${s.error ? ` (${shortError(s.error)})` : ''}`;
  if (s.error) return `${label} incomplete: ${shortError(s.error)}`;
  return null;
}

/** Kinds of data a brief normally has, and the sources whose failure already explains a gap. */
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

export interface NotesOptions {
  /** The ranked stories the brief was written from (an empty list gets a note). */
  stories: readonly Story[];
  /** The language the brief was asked for; the extractive writer only writes English. */
  requestedLanguage?: string;
  /** Feed id -> display name, for feeds not in DEFAULT_FEEDS. */
  feedNames?: Readonly<Record<string, string>>;
}

/**
 * One line per failed (or degraded) source, then one per kind of data that is missing for
 * another reason (source disabled, empty answer).
 * @example buildNotes(snapshot, { stories }) // ["SEC news feed unavailable: HTTP 403 from https://www.sec.gov/..."]
 */
export function buildNotes(snapshot: Snapshot, opts: NotesOptions): string[] {
  const feedNames = opts.feedNames ?? {};
  const notes = snapshot.statuses.flatMap((s) => statusNote(s, feedNames) ?? []);
  const failed = new Set(snapshot.statuses.filter((s) => !s.ok).map((s) => s.id));
  for (const kind of KINDS) {
    if (kind.missing(snapshot) && !kind.sources.some((id) => failed.has(id))) notes.push(kind.note);
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
  return notes;
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
 * the snapshot carries no statuses).
 */
export function describeGathering(snapshot: Snapshot): string {
  const total = snapshot.statuses.length;
  const ok = snapshot.statuses.filter((s) => s.ok).length;
  const when = utcStamp(snapshot.takenAt);
  return total === 0 ? `from data gathered at ${when}` : `from ${ok} of ${total} sources at ${when}`;
}

/**
 * @example buildExtractiveClosing(snapshot)
 * // "Summary generated by morning-brief's extractive writer from 12 of 13 sources at 06:30 UTC on 27 Nov 2025; no AI model was used."
 */
export function buildExtractiveClosing(snapshot: Snapshot): string {
  return `Summary generated by morning-brief's extractive writer ${describeGathering(snapshot)}; no AI model was used.`;
}
