/**
 * Headlines -> ranked stories: cluster the tellings of each event, drop stories whose newest
 * telling is stale, pick each story's lead, tag topics, score, sort. Pure and deterministic for the same input and `now`.
 */
import type { Headline, Story, StorySource, Topic } from '../domain.ts';
import { TopicSchema } from '../domain.ts';
import { canonicalUrl } from './canonical-url.ts';
import { clusterHeadlines } from './cluster.ts';
import { COVERED_FACTOR, coverageFactor, coveredMatcher, newsFactor, recencyFactor, topicFactor } from './rank.ts';
import { storyId } from './story-id.ts';
import { tagTopics } from './topics.ts';

export { canonicalUrl } from './canonical-url.ts';
export { clusterHeadlines, type HeadlineCluster } from './cluster.ts';
export { tagTopics } from './topics.ts';

export interface BuildStoriesOptions {
  now: Date;
  /**
   * A story whose newest telling was published longer ago is dropped (its older tellings stay
   * with a fresh one); undated headlines are kept.
   */
  maxAgeHours: number;
  /** Headline titles the last briefs carried; stories like them are demoted, not removed. */
  recentlyCovered: readonly string[];
  /** Per feed id (`Headline.source`); 1 when missing. */
  sourceWeights?: Readonly<Record<string, number>>;
}

const HOUR_MS = 3_600_000;
/** Older tellings of a still-fresh story are kept up to this many windows back. */
const LOOKBACK_FACTOR = 3;
/** Dates further in the future than this are a feed's mistake: treated as undated. */
const FUTURE_SLACK_MS = HOUR_MS;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function clean(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * Builds the ranked stories of a snapshot's headlines, best first.
 *
 * @example
 * const stories = buildStories(snapshot.headlines, {
 *   now: new Date(snapshot.takenAt),
 *   maxAgeHours: 36,
 *   recentlyCovered: ['Fed holds rates steady'],
 *   sourceWeights: { coindesk: 1.2, 'fed-monetary': 1.6 },
 * });
 * stories[0]?.title // the lead of the biggest, freshest, most market-moving story
 */
export function buildStories(headlines: readonly Headline[], opts: BuildStoriesOptions): Story[] {
  const nowMs = opts.now.getTime();
  const oldest = nowMs - opts.maxAgeHours * HOUR_MS;
  const weightOf = (source: string): number => {
    const w = opts.sourceWeights?.[source];
    return w !== undefined && Number.isFinite(w) && w > 0 ? w : 1;
  };
  /** Publication time usable for ranking: null when missing, unparseable or in the future. */
  const usableTime = (h: Headline): number | null => {
    const t = parseTime(h.publishedAt);
    return t === null || t > nowMs + FUTURE_SLACK_MS ? null : t;
  };

  // Freshness is the story's, not each telling's: a story stays while its newest telling is
  // inside the window, with its older tellings. Items far older than any story can reach
  // are not clustered at all.
  const horizon = nowMs - opts.maxAgeHours * LOOKBACK_FACTOR * HOUR_MS;
  const fresh: Headline[] = [];
  for (const h of headlines) {
    const t = parseTime(h.publishedAt);
    if (t !== null && t < horizon) continue;
    fresh.push({ ...h, title: clean(h.title), url: canonicalUrl(h.url), summary: clean(h.summary) });
  }

  const isCovered = coveredMatcher(opts.recentlyCovered);
  const usedIds = new Set<string>();
  const current = clusterHeadlines(fresh).filter((cluster) => {
    const dated = cluster.headlines.map((h) => parseTime(h.publishedAt)).filter((t): t is number => t !== null);
    return dated.length < cluster.headlines.length || dated.some((t) => t >= oldest);
  });
  const stories: Story[] = current.map((cluster) => {
    // Lead: the heaviest outlet, then the earliest telling, then a fixed order.
    const ranked = [...cluster.sources].sort(
      (a, b) =>
        weightOf(b.source) - weightOf(a.source) ||
        (usableTime(a) ?? Number.POSITIVE_INFINITY) - (usableTime(b) ?? Number.POSITIVE_INFINITY) ||
        compare(a.source, b.source) ||
        compare(a.title, b.title),
    );
    const lead = ranked[0] ?? cluster.headlines[0];
    if (lead === undefined) throw new Error('empty cluster');

    const times = cluster.headlines.map((h) => parseTime(h.publishedAt)).filter((t): t is number => t !== null);
    const scoreTimes = cluster.headlines.map(usableTime).filter((t): t is number => t !== null);
    const topicSet = new Set<Topic>(tagTopics(lead.summary));
    for (const h of cluster.headlines) for (const t of tagTopics(h.title)) topicSet.add(t);
    const topics = TopicSchema.options.filter((t) => topicSet.has(t));

    const url = lead.url !== '' ? lead.url : (ranked.find((h) => h.url !== '')?.url ?? '');
    let id = storyId(url, lead.title);
    for (let n = 2; usedIds.has(id); n++) id = storyId(url, `${lead.title}#${n}`);
    usedIds.add(id);

    const newest = scoreTimes.length > 0 ? scoreTimes.reduce((x, y) => Math.max(x, y)) : null;
    const covered = cluster.headlines.some((h) => isCovered(h.title));
    const score =
      recencyFactor(newest === null ? null : (nowMs - newest) / HOUR_MS) *
      coverageFactor(cluster.sources.map((h) => weightOf(h.source))) *
      topicFactor(topics) *
      newsFactor(cluster.headlines.map((h) => h.title)) *
      (covered ? COVERED_FACTOR : 1);

    const sources: StorySource[] = ranked.map((h) => ({
      source: h.source,
      sourceName: h.sourceName,
      title: h.title,
      url: h.url,
      publishedAt: h.publishedAt,
    }));
    return {
      id,
      title: lead.title,
      url,
      summary: lead.summary !== '' ? lead.summary : (ranked.find((h) => h.summary !== '')?.summary ?? ''),
      publishedAt: times.length > 0 ? new Date(times.reduce((x, y) => Math.min(x, y))).toISOString() : null,
      sources,
      topics,
      score,
    };
  });

  return stories.sort(
    (a, b) =>
      b.score - a.score ||
      (parseTime(b.publishedAt) ?? Number.NEGATIVE_INFINITY) - (parseTime(a.publishedAt) ?? Number.NEGATIVE_INFINITY) ||
      compare(a.id, b.id),
  );
}
