/**
 * The zh extractive writer: a 火星早报-style Chinese brief from the snapshot's numbers and the
 * stories' own (Chinese) headlines, with no model and no key. Title `<name>｜<lead A>；<lead B>`,
 * one paragraph of short attributed sentences (据 PANews 报道 / Odaily 消息), the market line,
 * notes, sources and closing in Chinese. Same input, same brief.
 */
import type { Brief, BriefItem, Snapshot, Story } from '../../domain.ts';
import type { WriterInput } from '../types.ts';
import { buildSources } from '../extractive/notes.ts';
import { sectionFor, sectionRank } from '../extractive/sections.ts';
import { dropRetellingsZh } from './retellings-zh.ts';
import { marketDirection } from '../extractive/market.ts';
import { DEFAULT_FRESHNESS, freshSourceCounts, judgeFreshness, type FreshnessRules } from '../freshness.ts';
import { buildMarketLineZh, marketItemsZh, marketLeadsZh } from './market-zh.ts';
import { notesZh } from './notes-zh.ts';

/** The paragraph's length, as in English: 6-10 sentences on a normal day. */
export const MAX_ITEMS_ZH = 10;
/** At least this many story sentences when there are stories, however many market sentences. */
const MIN_STORIES = 5;
/** The name a zh brief goes by when the configured one is the English default. */
export const DEFAULT_ZH_NAME = '加密早报';

/** Outlet boilerplate at the start of a Chinese flash: "BlockBeats 消息，", "PANews 9月23日消息，", "Odaily星球日报讯". */
const OUTLET_PREFIX =
  /^\s*(?:【[^】]*】\s*)?(?:Odaily星球日报讯|(?:律动\s*)?BlockBeats|PANews|ChainCatcher|链捕手|Foresight News|金色财经|火星财经|吴说|深潮\s*TechFlow|TechFlow)\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*(?:消息|报道|讯|快讯)?\s*[,，:：]?\s*/u;

export const isChinese = (language: string): boolean => /^zh\b/iu.test(language);

/**
 * A headline as one sentence of the paragraph: the outlet's boilerplate and end punctuation off.
 * @example cleanZhHeadline('BlockBeats 消息，MULTI短时上涨逼近5美元。') // => 'MULTI短时上涨逼近5美元'
 */
export function cleanZhHeadline(title: string): string {
  return title.replace(OUTLET_PREFIX, '').replace(/[\s。！!？?…]+$/u, '').trim();
}

/** A question or a teaser is no event to report. */
const isQuestion = (title: string): boolean => /[？?]\s*$/u.test(title.trim());

/** "据PANews报道，…。" or "Odaily消息，…。" (no spaces: renderers wrap at spaces), alternating so the paragraph does not drone. */
export function storySentenceZh(story: Story, variant: number): string {
  const outlet = story.sources[0]?.sourceName ?? story.sources[0]?.source ?? '';
  const text = cleanZhHeadline(story.title);
  return variant % 2 === 0 ? `据${outlet}报道，${text}。` : `${outlet}消息，${text}。`;
}

/** A title lead: the headline without boilerplate, cut at a clause when long. */
export function shortZhLead(story: Story, max = 36): string {
  const text = cleanZhHeadline(story.title);
  if ([...text].length <= max) return text;
  // Cut at a comma, not at the colon: "Strategy：即使…" would leave only the speaker.
  const clause = text.split(/[，；,;]/u)[0] ?? text;
  if ([...clause].length <= max) return clause;
  // Never end on half a figure ("7.4 万美…"): the cut drops a trailing number and its unit.
  return `${[...clause].slice(0, max).join('').replace(/[\d.,\s]*[\d.][\d.,\s]*[万亿千百]?[美元枚个%]*$/u, '')}…`;
}

const stampZh = (iso: string): string => {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
};

/** "本简报由 morning-brief 抽取式写作器根据 12/13 个数据源于 … 生成，未使用 AI 模型。" */
export function closingZh(snapshot: Snapshot, freshness: Readonly<FreshnessRules>): string {
  const { ok, total } = freshSourceCounts(snapshot, freshness);
  const from = total === 0 ? '' : `根据 ${total} 个数据源中的 ${ok} 个`;
  return `本简报由 morning-brief 抽取式写作器${from}于${stampZh(snapshot.takenAt)}生成，未使用 AI 模型。`;
}

/**
 * Writes the Chinese brief.
 * @example
 * const brief = writeExtractiveZh({ snapshot, stories, briefName: '加密早报', language: 'zh', now });
 * brief.title // "加密早报｜汇丰银行、渣打银行在香港获得稳定币牌照；MULTI短时上涨逼近5美元"
 */
export function writeExtractiveZh(input: WriterInput): Brief {
  const freshness = input.freshness ?? DEFAULT_FRESHNESS;
  const snapshot = judgeFreshness(input.snapshot, freshness).current;
  const market = marketItemsZh(snapshot);
  // A retelling the clustering left apart (two outlets' wordings of one event) is written once.
  const usable = dropRetellingsZh(input.stories.filter((s) => !isQuestion(s.title) && cleanZhHeadline(s.title) !== ''));
  const slots = Math.max(MIN_STORIES, MAX_ITEMS_ZH - market.length);
  const chosen = usable.slice(0, slots);
  const rank = new Map(input.stories.map((s, i) => [s, i]));

  const ordered = [
    ...market.map((item, i) => ({ item: item as BriefItem | null, story: null as Story | null, key: i, section: item.section })),
    ...chosen.map((story) => ({ item: null, story, key: 100 + (rank.get(story) ?? 0), section: sectionFor(story.topics) })),
  ];
  ordered.sort((a, b) => sectionRank(a.section) - sectionRank(b.section) || a.key - b.key);

  let variant = 0;
  const items: BriefItem[] = ordered.map((e) => e.item ?? { text: storySentenceZh(e.story!, variant++), storyIds: [e.story!.id], section: e.section });
  if (items.length === 0) items.push({ text: '本次未获取到任何行情数据或新闻，所有数据源均失败或无返回。', storyIds: [], section: 'other' });

  const leads = [...chosen.map((s) => shortZhLead(s)), ...marketLeadsZh(snapshot)];
  const leadA = leads[0] ?? '暂无行情数据';
  const leadB = leads.find((l) => l !== leadA) ?? '暂无新闻';
  const name = input.briefName === 'Morning Brief' ? DEFAULT_ZH_NAME : input.briefName;
  const cited = ordered.flatMap((e) => (e.story ? [e.story] : []));
  return {
    name,
    title: `${name}｜${leadA}；${leadB}`,
    leads: [leadA, leadB],
    items,
    marketLine: buildMarketLineZh(snapshot),
    sources: buildSources(cited),
    notes: notesZh(input.snapshot, input.stories, freshness),
    closing: closingZh(input.snapshot, freshness),
    writer: 'extractive',
    writerReason: null,
    language: input.language,
    createdAt: input.now.toISOString(),
    dataAsOf: input.snapshot.takenAt,
    direction: marketDirection(snapshot),
  };
}
