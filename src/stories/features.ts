/**
 * What a headline says about its event, for same-event clustering: content tokens of the
 * title and of the summary's opening, which of them name someone or something (entities:
 * people, organisations, tickers, places), its figures, its assets and its time.
 */
import type { Headline } from '../domain.ts';
import { roundupLead } from './roundup-lead.ts';
import { contentTokens, isAmountToken, isAssetToken, isGenericToken } from './tokens.ts';

/** How much of a summary is read: its opening says what happened, the rest is background. */
export const SUMMARY_CHARS = 320;

export interface HeadlineFeatures {
  title: string[];
  /** Tokens of the summary's opening that are not in the title. */
  summary: string[];
  /** Figures named in the title ("#1000000000", "#3%"): what a retelling repeats. */
  titleAmounts: string[];
  /** Assets the title names (bitcoin, ether, solana, ...). */
  titleAssets: string[];
  /** Title tokens outside the main clause ("... as Binance adds ..."): weighed like summary words. */
  context: string[];
  /** A question or an explainer ("Is X a buy?", "What you need to know"): commentary more often than news. */
  question: boolean;
  /** A newsletter or roundup headline (see isRoundup): merged with nothing but its own link. */
  roundup: boolean;
  /** "up:xrp" when the title reports the asset's price move (see priceMove, sameMove). */
  move: string | null;
  /**
   * Who or what the title names: its names, and its first word when that is a capitalised
   * word that is not a common one ("Kraken lists ...").
   */
  titleNames: string[];
  /** Capitalised words, acronyms and tickers, as tokens (stemmed like the rest). */
  entities: Set<string>;
  /** Words written in lower case in running text (to tell names from capitalised common words). */
  plain: Set<string>;
  /** Publication time in ms, or null. */
  time: number | null;
}

/** Words a sentence capitalises for reasons other than being a name. */
const NOT_NAMES = new Set(
  `the a an this that these those it its in on at for of to by with from as and or but if when while after before
  during amid over under new why how what who where which there here they we he she you i our their his her
  bitcoin crypto cryptocurrency ethereum ether price prices market markets according however meanwhile also
  monday tuesday wednesday thursday friday saturday sunday read more today yesterday january february march
  april may june july august september october november december president chairman chairwoman chair ceo cfo cto
  founder co-founder governor minister senator secretary director head chief spokesperson analyst analysts
  breaking update exclusive`.split(/\s+/u),
);

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: ' ', rsquo: "'", lsquo: "'", ldquo: '"', rdquo: '"', hellip: '...', ndash: '-', mdash: '-' };

/** Feed text as a reader sees it: entities decoded, WordPress boilerplate ("The post ... appeared first on X.", "[...]") out. */
export function readableText(text: string): string {
  return text
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(Number.parseInt(code.slice(2), 16) || 32);
      if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)) || 32);
      return ENTITIES[code.toLowerCase()] ?? whole;
    })
    .replace(/\s*The post .{0,300}? appeared first on [^.]{1,80}\.?\s*$/u, ' ')
    .replace(/\[(?:\.\.\.|…)\]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The opening of a summary: its first sentences, up to SUMMARY_CHARS. */
export function summaryOpening(summary: string): string {
  const text = readableText(summary);
  if (text.length <= SUMMARY_CHARS) return text;
  const cut = text.slice(0, SUMMARY_CHARS);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
  return end > SUMMARY_CHARS / 3 ? cut.slice(0, end + 1) : cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : cut.length);
}

/** Most longer words capitalised: the text is written in Title Case, so capitals say nothing. */
export function isTitleCased(text: string): boolean {
  const words = text.split(/\s+/u).slice(1).filter((w) => /^\p{L}{4,}/u.test(w) && !SMALL_WORDS.has(w.toLowerCase()));
  return words.length >= 3 && words.filter((w) => /^\p{Lu}/u.test(w)).length >= words.length * 0.75;
}

/** Words Title Case leaves in lower case. */
const SMALL_WORDS = new Set(['with', 'from', 'into', 'onto', 'over', 'than', 'that', 'this', 'upon', 'amid', 'after', 'before', 'about', 'says']);

/**
 * Where a headline's own event ends: "Ripple surges 10% as Binance Futures adds ..." reports
 * the surge; what follows "as", "after" or "amid" is context.
 */
const SUBORDINATE = /\s(?:as|after|amid|while|following|despite|since|ahead of|days after|weeks after)\s/iu;

/** The title's main clause and the rest. */
export function splitClauses(title: string): { main: string; rest: string } {
  // "... no guarantee of inflows: Bitwise", "... virtual currency - FT": who says it, not what happened.
  const said = /\s*(?::|\s[-–—|])\s*((?:\p{Lu}[\p{L}.&']*\s?){1,3}|sources?|report)\s*$/u.exec(title.trim());
  const text = said && said.index > 12 ? title.trim().slice(0, said.index) : title;
  const tail = text === title ? '' : title.trim().slice(text.length);
  const m = SUBORDINATE.exec(text);
  if (!m || m.index < 12) return { main: text, rest: tail };
  return { main: text.slice(0, m.index), rest: text.slice(m.index) + tail };
}

const UP_MOVES = new Set(
  'surge surges surging spike spikes spiking jump jumps jumping rise rises rising climb climbs climbing rally rallies rallying soar soars soaring gain gains rebound rebounds reclaim reclaims regain regains bounce bounces pump pumps skyrocket skyrockets rocket rockets outperform outperforms up surged spiked jumped rose climbed rallied soared gained rebounded regained'.split(' '),
);
const DOWN_MOVES = new Set(
  'fall falls falling drop drops dropping slide slides sliding slip slips slipping tumble tumbles tumbling plunge plunges plunging crash crashes sink sinks sinking dip dips dipping dump dumps decline declines slump slumps plummet plummets underperform underperforms down meltdown bleed bleeds sell-off selloff fell dropped slid slipped tumbled plunged sank dipped declined slumped plummeted'.split(' '),
);
/** Words a subject made of assets may also hold: "Bitcoin, Ethereum and Dogecoin are ...", "XRP price is ...". */
const SUBJECT_FILLER = new Set(['and', '&', 'price', 'prices', 'is', 'are', 'has', 'have', 'the', 'why', 'how', 'market', 'markets', 'crypto', 'altcoins', 'altcoin', 'token', 'coin', 'shiba', 'inu']);
/** Words that can be the subject of a market move besides assets ("Crypto market tumbles"). */
const MAJORS = new Set(['bitcoin', 'ether', 'market', 'crypto', 'altcoin']);

/** "up:bitcoin,ether": the direction and the assets that moved ("crypto", "altcoins" are the market). */
function moveKey(assets: readonly string[], dir: 'up' | 'down'): string {
  const names = [...new Set(assets.map((a) => (a === 'crypto' || a === 'altcoin' ? 'market' : a)))].sort();
  return `${dir}:${names.join(',')}`;
}

/**
 * The assets of a move key, with "market" standing for bitcoin and ether too (the market's
 * move is theirs).
 * @example moveAssets('down:market') // ['bitcoin', 'ether', 'market']
 */
export function moveAssets(move: string): string[] {
  const assets = (move.split(':')[1] ?? '').split(',').filter((a) => a !== '');
  return assets.includes('market') ? [...new Set([...assets, 'bitcoin', 'ether'])] : assets;
}

/** Whether two titles report the same move: one direction, an asset in common. */
export function sameMove(a: string | null, b: string | null): boolean {
  if (a === null || b === null || a.split(':')[0] !== b.split(':')[0]) return false;
  const mine = new Set(moveAssets(a));
  return moveAssets(b).some((x) => mine.has(x));
}

/** The direction of a move word at `words[k]` ("breaks below", "extends pullback" count too). */
function moveAt(words: readonly string[], k: number): 'up' | 'down' | null {
  const w = words[k] ?? '';
  const next = words[k + 1] ?? '';
  if (/^breaks?$/u.test(w)) return next === 'above' || next === 'out' ? 'up' : next === 'below' ? 'down' : null;
  if (/^extends?$/u.test(w)) return /^(?:gains|rally|rebound|climb)$/u.test(next) ? 'up' : /^(?:losses|pullback|decline|slide|drop|fall|slump)$/u.test(next) ? 'down' : null;
  // "hits a new high", "touches previous all-time high", "chases new highs", "nears record".
  if (/^(?:hits?|touch(?:es)?|chases?|nears?|nearing|approach(?:es)?|eyes|tops?|sets?|reach(?:es)?|notch(?:es)?)$/u.test(w)) {
    return words.slice(k + 1, k + 5).some((x) => /^(?:high|highs|record|records|all-time|ath)$/u.test(x)) ? 'up' : null;
  }
  return UP_MOVES.has(w) ? 'up' : DOWN_MOVES.has(w) ? 'down' : null;
}

/**
 * "XRP price rises 8%", "Why XRP is climbing", "Bitcoin, Ethereum drop ...": assets as the
 * subject of a price move, as "up:xrp" / "down:bitcoin,ether" ("market" for the crypto market
 * itself, which moves with bitcoin and ether); null when the title reports no such move.
 */
export function priceMove(title: string): string | null {
  // A forecast is not a move: "Bitcoin rally looms with projections hinting at $200,000".
  if (/\b(?:could|may|might|looms?|forecasts?|predicts?|predictions?|targets?|projections?|expected to|set to|poised)\b/iu.test(title)) return null;
  // "ETF inflows fuel bitcoin's climb above $123K": the move as a noun after the asset's name.
  const noun = /(?:^|\s)([A-Za-z]{2,12})'s\s(?:(climb|rally|surge|rise|jump|rebound|gains)|(drop|fall|slide|plunge|crash|slump|decline|losses))\b/iu.exec(title.replace(/[\u2018\u2019]/gu, "'"));
  const nounAsset = noun?.[1] ? contentTokens(noun[1])[0] : undefined;
  if (noun && nounAsset !== undefined && (isAssetToken(nounAsset) || MAJORS.has(nounAsset))) {
    return moveKey([nounAsset], noun[2] ? 'up' : 'down');
  }
  const parts = splitClauses(title.replace(/[\u2018\u2019]/gu, "'"));
  // The main clause first; a move in "... as Bitcoin reclaims $114K" counts when the main clause has none.
  const clauses = [...parts.main.split(/[:;|?]\s+|\s[-–—]\s/u), parts.rest.replace(/^\s*(?:as|after|amid|while|following|despite|since)\s/iu, '')];
  for (const clause of clauses) {
    const raw = clause.replace(/,/gu, ' , ').split(/\s+/u).filter((w) => w !== '');
    const words = raw.map((w) => w.toLowerCase().replace(/'s$/u, '').replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}-]+$/gu, ''));
    const assets: string[] = [];
    for (let k = 0; k < words.length && k < 16; k++) {
      const dir = moveAt(words, k);
      if (dir !== null && assets.length > 0) {
        return moveKey(assets, dir);
      }
      const w = words[k] ?? '';
      // "3 reasons why XRP is climbing": a listicle's count and noun are not the subject.
      if (k === 0 && /^\d+$/u.test(w) && /^(?:reasons?|ways|things|signs)$/u.test(words[1] ?? '')) {
        k++;
        continue;
      }
      if (/^\([A-Z]{2,6}\)$/u.test(raw[k] ?? '') || w === '') continue;
      const token = contentTokens(w)[0];
      if (token !== undefined && (isAssetToken(token) || MAJORS.has(token))) assets.push(token);
      else if (w === 'market' || w === 'markets' || w === 'crypto') assets.push('market');
      else if (/^\([A-Z]{2,6}\)$/u.test(raw[k + 1] ?? '') && /^\p{Lu}/u.test(raw[k] ?? '')) assets.push(w);
      else if (!SUBJECT_FILLER.has(w)) break;
    }
  }
  return null;
}

/**
 * Names in a text: acronyms and tickers anywhere ("SEC", "$BTC", "IBIT"), capitalised words
 * that do not start a sentence when the text is not Title Case ("Powell", "Upbit").
 *
 * @example entityTokens('Trump presses Powell on rates during a rare Fed visit') // Set { 'trump'?, 'powell', 'fed' }
 */
export function entityTokens(text: string): Set<string> {
  return scanNames(text).names;
}

/** Names in a text, and the words it writes in lower case (a word the day writes lower case more often is no name). */
export function scanNames(text: string): { names: Set<string>; plain: Set<string> } {
  const out = new Set<string>();
  const plain = new Set<string>();
  const titleCased = isTitleCased(text);
  const words = text.normalize('NFKC').replace(/[\u2018\u2019]/gu, "'").split(/\s+/u);
  let sentenceStart = true;
  for (const raw of words) {
    const word = raw.replace(/^[^\p{L}\p{N}$]+|[^\p{L}\p{N}]+$/gu, '').replace(/'s$/u, '');
    const startsSentence = sentenceStart;
    sentenceStart = /[.!?:]["')\]]*$/u.test(raw);
    if (word === '') continue;
    const ticker = /^\$[A-Z]{2,6}$/u.test(word);
    const acronym = /^[A-Z][A-Z0-9&]{1,5}$/u.test(word) && /[A-Z].*[A-Z]|^[A-Z][0-9]/u.test(word);
    const inner = /^\p{Lu}\p{Ll}+\p{Lu}|^\p{Lu}{2,}\p{Ll}/u.test(word); // BlackRock, JPMorgan
    const capital = /^\p{Lu}\p{Ll}/u.test(word) && !startsSentence && !titleCased;
    if (!titleCased && /^\p{Ll}/u.test(word)) for (const token of contentTokens(word)) plain.add(token);
    if (!(ticker || acronym || inner || capital)) continue;
    // "Solana-based": the name is the part before the hyphen.
    const lower = word.replace(/^\$/u, '').toLowerCase().replace(/-(?:based|backed|linked|led|focused|native|style|like|owned)$/u, '');
    if (NOT_NAMES.has(lower)) continue;
    for (const token of contentTokens(lower)) out.add(token);
  }
  return { names: out, plain };
}

/** Newsletters and roundups that bundle several stories under one headline. */
const ROUNDUP =
  /^(?:the daily|morning minute|first mover|crypto daybook|the protocol|the node|daily digest|daily recap|weekly recap|week in review|this week in|crypto long & short|asia morning briefing)\b|\b(?:newsletter|roundup|round-up|finance redefined|and more|everything that happened(?: in crypto)? today)\s*[.!]?$/iu;

/**
 * A roundup tells several events at once: it belongs to none of them.
 * @example isRoundup("The Daily: Google's stablecoin payments, Bitwise's rally call, and more") // => true
 */
export function isRoundup(title: string): boolean {
  return ROUNDUP.test(title.trim()) || /:\s*[^:]*\bfinance redefined\b/iu.test(title);
}

/**
 * @example isQuestion('Is Silvergate Capital stock a buy?') // => true
 */
export function isQuestion(title: string): boolean {
  const t = title.trim();
  const q = t.indexOf('?');
  const colon = t.search(/:\s/u);
  const asked = q >= 0 && (colon < 0 || q < colon);
  return asked || /^(?:why|how|what|is|are|can|will|should|could|does|do)\s/iu.test(t) || /\bwhat you need to know\b|\bexplained\b/iu.test(t);
}

function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/**
 * @example const f = headlineFeatures(headline); f.title // ['binance', '#1000000000', 'terrorism', 'lawsuit']
 */
export function headlineFeatures(h: Pick<Headline, 'title' | 'summary' | 'publishedAt'>): HeadlineFeatures {
  // A shouted label before a colon ("HOT MOMENTS:", "JUST IN:") is a kicker, not the news.
  const cleaned = readableText(h.title).replace(/^[\p{Lu}\d][\p{Lu}\d &'!-]{2,30}:\s+(?=\S)/u, '');
  const lead = roundupLead(cleaned);
  const titleText = lead ?? cleaned;
  const { main, rest } = splitClauses(titleText);
  const title = contentTokens(main);
  const context = contentTokens(rest).filter((t) => !title.includes(t));
  const opening = summaryOpening(h.summary);
  const inTitle = new Set([...title, ...context]);
  const summary = contentTokens(opening).filter((t) => !inTitle.has(t));
  const inTitleText = scanNames(titleText);
  const inSummary = scanNames(opening);
  const entities = new Set([...inTitleText.names, ...inSummary.names]);
  const plain = new Set([...inTitleText.plain, ...inSummary.plain]);
  const titleNames = new Set(inTitleText.names);
  const first = /^\p{Lu}[\p{L}\p{N}&.-]*/u.exec(main)?.[0];
  if (first !== undefined && !isTitleCased(titleText) && !NOT_NAMES.has(first.toLowerCase())) {
    const token = contentTokens(first)[0];
    if (token !== undefined) titleNames.add(token);
  }
  for (const t of entities) if (isGenericToken(t)) entities.delete(t);
  return {
    title,
    context,
    summary,
    move: priceMove(titleText),
    question: isQuestion(titleText),
    roundup: lead === null && isRoundup(titleText),
    titleAmounts: [...title, ...context].filter(isAmountToken),
    titleAssets: title.filter(isAssetToken),
    titleNames: [...titleNames].filter((t) => title.includes(t) && !isGenericToken(t) && !isAssetToken(t) && !isAmountToken(t)),
    entities,
    plain,
    time: parseTime(h.publishedAt),
  };
}
