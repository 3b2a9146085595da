/**
 * Grounding for Chinese briefs, for the extractive and the LLM writer alike: every text of the
 * brief and of the snapshot's headlines goes through normalizeZhNumbers first (full-width
 * digits, 百分之…, Chinese numerals), then the shared checker reads the figures.
 */
import type { Brief } from '../domain.ts';
import { checkBrief, type Violation } from './grounding.ts';
import { normalizeZhNumbers } from './numbers-zh.ts';
import type { WriterInput } from './types.ts';

const n = normalizeZhNumbers;

/** The brief with its Chinese numbers in digit form. */
export function normalizeBriefZh(brief: Brief): Brief {
  return {
    ...brief,
    title: n(brief.title),
    leads: [n(brief.leads[0]), n(brief.leads[1])],
    items: brief.items.map((i) => ({ ...i, text: n(i.text) })),
    marketLine: n(brief.marketLine),
  };
}

/** The writer's input with its headlines' Chinese numbers in digit form. */
export function normalizeInputZh(input: WriterInput): WriterInput {
  const headlines = input.snapshot.headlines.map((h) => ({ ...h, title: n(h.title), summary: n(h.summary) }));
  const stories = input.stories.map((s) => ({ ...s, title: n(s.title), summary: n(s.summary), sources: s.sources.map((x) => ({ ...x, title: n(x.title) })) }));
  return { ...input, snapshot: { ...input.snapshot, headlines }, stories };
}

/**
 * checkBrief for a Chinese brief.
 * @example checkBriefZh(writeExtractiveZh(input), input) // => []
 */
export function checkBriefZh(brief: Brief, input: WriterInput): Violation[] {
  return checkBrief(normalizeBriefZh(brief), normalizeInputZh(input));
}
