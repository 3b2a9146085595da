/**
 * Drops a Chinese story that retells a better-ranked one the clustering left apart: two
 * outlets' wordings of one event ("JPMorgan 提出比特币结构化票据产品…" after "摩根大通推出与贝莱德
 * 比特币ETF挂钩的结构性票据…") share two or more distinctive tokens (the zh tokenizer maps both
 * names and both words for "structured note" to one token each).
 */
import type { Story } from '../../domain.ts';
import { contentTokens, isGenericToken } from '../../stories/tokens.ts';
import { dropRetellings } from '../extractive/select.ts';

function tokens(story: Story): Set<string> {
  const text = story.sources.map((s) => s.title).concat(story.title).join(' ');
  return new Set(contentTokens(text).filter((t) => !isGenericToken(t) && t.length > 1));
}

/** @example dropRetellingsZh([jpmMarsBit, jpmChainCatcher, other]) // => [jpmMarsBit, other] */
export function dropRetellingsZh(stories: readonly Story[]): Story[] {
  return dropRetellings(stories, tokens);
}
