/**
 * A subscriber's /topics narrows their copy of the brief: story sentences whose stories carry
 * none of the chosen topics are left out; market-data sentences always stay. One brief is
 * still written per edition; this is a pure view of it, so a resend yields the same messages.
 */
import type { Brief, Story } from '../domain.ts';

/**
 * @example briefForTopics(brief, stories, ['eth', 'etf']) // brief without the items about other topics
 */
export function briefForTopics(brief: Brief, stories: readonly Story[], topics: readonly string[]): Brief {
  if (topics.length === 0) return brief;
  const wanted = new Set(topics);
  const byId = new Map(stories.map((s) => [s.id, s]));
  const matches = (storyId: string) => byId.get(storyId)?.topics.some((t) => wanted.has(t)) ?? false;
  const items = brief.items.filter((item) => item.storyIds.length === 0 || item.storyIds.some(matches));
  // Nothing of theirs today: the whole brief beats an empty one.
  if (!items.some((item) => item.storyIds.length > 0)) return brief;
  const keptUrls = new Set(items.flatMap((item) => item.storyIds.map((id) => byId.get(id)?.url).filter((u): u is string => Boolean(u))));
  return {
    ...brief,
    items,
    sources: brief.sources.filter((source) => keptUrls.has(source.url)),
  };
}
