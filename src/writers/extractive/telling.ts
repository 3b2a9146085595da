/**
 * Which telling of a story the brief repeats: the most informative declarative headline, or
 * the first sentence of a summary when every headline is a question, a teaser or clickbait;
 * and the name an outlet is credited by (its display name, or its host, never an internal id).
 */
import type { Story, StorySource } from '../../domain.ts';

/** Longest sentence the brief repeats from a telling. */
export const MAX_SENTENCE_CHARS = 200;

/** Words of teasers and clickbait: they promise news instead of telling it. */
const TEASER_WORDS =
  /\b(?:here'?s why|this is why|here'?s what|what (?:happens|it means|to expect|you need to know|we know)|you won'?t believe|sudden(?:ly)?|shocking|stunning|bloody|ballet|primed|brace|mayhem|carnage|insane|explod(?:e|es|ing)|to the moon|moon(?:ing|shot)|skyrocket(?:s|ing)?|crush(?:es)?|massive|huge|epic|wild|secret|revealed|must[- ]see|watch out|warning|alert)\b/iu;

/** A headline that asks or exclaims rather than reports. */
export function isQuestionOrExclamation(title: string): boolean {
  return /[?!]/u.test(title);
}

/**
 * A headline that does not tell the news plainly: a question, an exclamation, a teaser
 * ("Bitcoin's Bloody Ballet: ..."), or a headline that opens with a label and a colon whose
 * halves are both too short to say anything.
 *
 * @example isTeaser('Ethereum Primed to Crush Bitcoin? Analysts weigh in') // => true
 * @example isTeaser('Binance faces $1 billion terrorism lawsuit')           // => false
 */
export function isTeaser(title: string): boolean {
  const t = title.trim();
  if (isQuestionOrExclamation(t) || TEASER_WORDS.test(t)) return true;
  if (/(?:\.\.\.|…)$/u.test(t)) return true;
  return /^(?:why|how|what|is|are|can|will|should|could)\s/iu.test(t);
}

/** The outlet's display name; a name that is only the feed's id ("coinalertnews") becomes the link's host. */
export function outletName(source: Pick<StorySource, 'source' | 'sourceName' | 'url'>): string {
  const name = source.sourceName.trim();
  const idLike = name === '' || (name === source.source && /^[a-z0-9_.-]+$/u.test(name));
  if (!idLike) return name;
  try {
    const host = new URL(source.url).hostname.replace(/^www\./u, '');
    if (host !== '') return host;
  } catch {
    // no usable link: fall through
  }
  return name;
}

/** Whether a headline carries a figure ("$36 million", "24%"): the most checkable kind of news. */
function hasFigure(title: string): boolean {
  return /[$€£]\s?\d|\d(?:[.,]\d+)?\s?(?:%|bps\b|[kmb]n?\b|million\b|billion\b|trillion\b)|\b\d{1,3}(?:,\d{3})+\b/iu.test(title);
}

/** A document's label rather than news: "Beige Book: summary of commentary ...", "Minutes of ...". */
function isDocumentTitle(title: string): boolean {
  return /^(?:[^:]{1,40}:\s*)?(?:summary|minutes|statement|agenda|transcript|remarks|testimony|projections|press release|notice|implementation note)\s(?:of|on|by|for|from)\b/iu.test(title.trim());
}

/**
 * The first sentence of a summary, when it reads as a sentence of at least a few words and
 * fits MAX_SENTENCE_CHARS; null otherwise.
 *
 * @example summarySentence('Binance was sued for $1 billion on Tuesday. The suit claims ...') // "Binance was sued for $1 billion on Tuesday"
 */
export function summarySentence(summary: string): string | null {
  const text = summary
    .replace(/\s*The post .{0,300}? appeared first on [^.]{1,80}\.?\s*$/u, '')
    .replace(/\[(?:\.\.\.|…)\]/gu, ' ')
    // Feeds end summaries with a link label ("(more)", "Read more", "Continue reading…"): not part of the sentence.
    .replace(/\s*(?:\((?:read )?more(?:…|\.\.\.)?\)|read more(?:…|\.\.\.)?|continue reading(?:…|\.\.\.)?)\s*$/iu, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const m = /^(.{30,}?[^A-Z.][.!?])(?:\s+\p{Lu}|\s*$)/u.exec(text);
  const sentence = (m?.[1] ?? '').trim();
  if (sentence === '' || sentence.length > MAX_SENTENCE_CHARS || /[?!]/u.test(sentence)) return null;
  if (sentence.split(' ').length < 6) return null;
  return sentence.replace(/[.]+$/u, '');
}

/** One telling the brief can repeat, and who told it. */
export interface ChosenTelling {
  text: string;
  /** The outlet the text comes from, by its display name. */
  outlet: string;
  /** The text is a summary's sentence, not a headline. */
  fromSummary: boolean;
}

/** Whether a story has a telling the brief can repeat as a plain sentence. */
export function hasPlainTelling(story: Story): boolean {
  return story.sources.some((s) => !isTeaser(s.title)) || summarySentence(story.summary) !== null;
}

/**
 * The telling to repeat: a plain headline (no question, teaser or clickbait, at most
 * `maxChars`), the lead's first, preferring one written in sentence case, then one with a
 * figure, and news over a document's label; when every headline teases, the first sentence of the story's summary; else the
 * lead's headline without its ? or !.
 */
export function chooseTelling(
  story: Story,
  clean: (title: string) => string,
  sentenceCase: (title: string) => boolean = () => true,
  maxChars = MAX_SENTENCE_CHARS,
): ChosenTelling {
  const ordered = orderedSources(story);
  const candidates = ordered.map((s) => ({ s, text: clean(s.title) })).filter((c) => /[\p{L}\p{N}]/u.test(c.text));
  const plain = candidates.filter((c) => !isTeaser(c.s.title) && c.text.length <= maxChars);
  if (plain.length > 0) {
    const score = (c: (typeof plain)[number]) => (sentenceCase(c.s.title) ? 2 : 0) + (hasFigure(c.text) ? 1 : 0) - (isDocumentTitle(c.s.title) ? 3 : 0);
    const best = plain.reduce((a, b) => (score(b) > score(a) ? b : a));
    return { text: best.text, outlet: outletName(best.s), fromSummary: false };
  }
  const lead = ordered[0];
  const fromSummary = summarySentence(story.summary);
  if (fromSummary !== null && lead !== undefined) return { text: fromSummary, outlet: outletName(lead), fromSummary: true };
  const fallback = candidates[0];
  return { text: (fallback?.text ?? clean(story.title)).replace(/[?!]+$/u, ''), outlet: fallback ? outletName(fallback.s) : '', fromSummary: false };
}

/** The story's tellings, the lead headline's first. */
export function orderedSources(story: Story): Story['sources'] {
  const lead = story.sources.find((s) => s.title === story.title && s.url === story.url) ?? story.sources.find((s) => s.title === story.title);
  return lead ? [lead, ...story.sources.filter((s) => s !== lead)] : story.sources;
}

/** Words a short form must not end on ("Binance sued over" -> "Binance sued"). */
export const DANGLING = new Set(
  'a an the and or but of to in on at for with by from as into over after before amid against about than its his her their is are was were be has have had will would could should may might can says said while until toward towards despite ahead through across via vs'.split(' '),
);

/** Cut at a word boundary so the whole sentence stays near MAX_SENTENCE_CHARS. */
export function capSentence(text: string): string {
  if (text.length <= MAX_SENTENCE_CHARS - 30) return text;
  const words = text.slice(0, MAX_SENTENCE_CHARS - 30).split(' ');
  words.pop();
  while (words.length > 1 && DANGLING.has((words[words.length - 1] ?? '').toLowerCase())) words.pop();
  return words.join(' ').replace(/[,;:\-–—]+$/, '');
}
