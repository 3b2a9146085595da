/**
 * Turns a story's lead headline into the brief's words: a clean headline (no outlet suffix,
 * no kicker, sentence case), an attributed sentence, and a short form for the title.
 * Only the headline's own words are used, so nothing is invented.
 */
import type { Story } from '../../domain.ts';
import { capSentence, chooseTelling, DANGLING, isTeaser, orderedSources, outletName, summarySentence } from './telling.ts';

/** Outlets that append their name to headlines (" - CoinDesk"), besides the story's own. */
const KNOWN_OUTLETS = [
  'CoinDesk', 'Cointelegraph', 'The Block', 'Decrypt', 'DL News', 'Bitcoin Magazine', 'Reuters',
  'Bloomberg', 'CNBC', 'Blockworks', 'The Defiant', 'CryptoSlate', 'Yahoo Finance', 'Forbes',
];

/** Leading labels that say nothing about the news ("Breaking: ..."). */
const KICKERS = /^(?:breaking(?: news)?|exclusive|just in|update[d]?|live|watch|opinion|analysis|report|podcast|video|explainer)\s*[:|-]\s+/i;

/**
 * Common words that a Title Case headline capitalises but a sentence does not. Words not in
 * the list keep their capital, so names (Binance, Tether, Nasdaq) are never lowered.
 */
const COMMON_WORDS = new Set(
  `a an the and or but nor of to in on at for with by from as into onto over under after before amid against
  about above below up down out off than then its his her their our your is are was were be been being has have
  had will would could should may might can must says say said new first now not no more most less back again
  still near all this that these those how why what who while where when despite per via vs versus
  faces face facing hits hit falls fall rises rise climbs climb drops drop slips slip jumps jump surges surge
  soars soar plunges plunge tumbles tumble rallies rally gains gain loses lose returns return reclaims reclaim
  tops top breaks break nears near eyes sees see seeks seek files file filed applies apply applied plans plan
  launches launch launched gets get wins win secures secure receives receive approves approve approved approval
  rejects reject delays delay lawsuit lawsuits suit sues sue court judge ban bans rules rule ruling
  price prices market markets traders trader investors investor whales whale holders holder deposits deposit
  exchange exchanges token tokens coin coins crypto cryptocurrency cryptocurrencies stablecoin stablecoins bank
  banks central rate rates cut cuts hike hikes inflation economy economic activity report reports data record
  high highs low lows week weeks month months day days daily year years billion million trillion percent
  terrorism terrorist related fund funds flow flows inflow inflows outflow outflows option options position
  positions limit limits trading trade system license licence change changes symbol controversy sparks spark
  credit rating downgrade downgrades responds respond response increase increases increasing decrease
  divergence consumer consumers little shows show predicts predict prediction warns warn urges urge calls call
  payments payment sanctions use uses using crackdown meeting minutes speculation risk risks regulators
  regulator regulation regulatory rules bill law laws vote votes support supports backed backs move moves
  amount amounts largest biggest big small major firm firms company companies network users user wallet
  wallets hack hacked exploit exploited drained stolen attack attackers security platform platforms
  treasury yield yields bond bonds dollar dollars stock stocks shares share buy buys sell sells selling buying
  sale sales demand supply volume volumes level levels mark barrier ahead amid analysts analyst says
  expects expect expected reversing reverses reverse earlier later extends extend rebound rebounds seeks
  quadruple double triple wants want lift lifts sued families family victims victim halts halt withdrawals
  withdrawal weak strong reaffirms reaffirm flags flag illegal financial finance financing spending spend
  diverges diverge terror attack attacks alleged alleging allegedly hits reveals reveal unveils unveil
  announces announce announced partners partnership deal deals acquires acquisition buyback raises raise
  raised funding round investment invest invests boost boosts boosted bets bet odds traders' holds hold
  remains remain stays stay reaches reach crosses cross above below under since until ever all-time time
  first last next previous latest early late again amid heavy light sharp sharply steady slightly
  officials official chair chief executive ceo cfo head president minister lawmakers governor
  policy policies plan proposal proposes propose filing filings application applications approve
  reserve strategic state states country countries government governments public private new old
  digital asset assets tokenized tokenised tokenization securities security bonds products product
  launch debut debuts listing listings lists delist delists pause pauses resumes resume suspends suspend
  probe investigation charges charged settles settlement fine fined penalty guilty prison sentence
  miners miner mining revenue hashprice hashrate fees fee profit profits loss losses`.split(/\s+/),
);

const ABBREVIATION_END = /\b(?:[A-Z]\.){2,}$/;

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

const KNOWN_OUTLET_KEYS = new Set(KNOWN_OUTLETS.map((o) => o.toLowerCase()));
const SUFFIX = /\s+[-–—|:]\s*([^-–—|:]{1,40}?)\s*$/;

function stripOutletSuffix(title: string, outlets: readonly string[]): string {
  const m = SUFFIX.exec(title);
  const name = m?.[1]?.toLowerCase();
  if (!m || !name) return title;
  const isOutlet = KNOWN_OUTLET_KEYS.has(name) || outlets.some((o) => o.toLowerCase() === name);
  return isOutlet ? title.slice(0, m.index) : title;
}

function wordCount(s: string): number {
  return s.split(' ').filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Most longer words capitalised: the outlet writes Title Case. */
function isTitleCase(words: string[]): boolean {
  const long = words.slice(1).filter((w) => /^\p{L}{4,}/u.test(w));
  if (long.length < 3) return false;
  const lower = long.filter((w) => /^\p{Ll}/u.test(w)).length;
  return lower === 0;
}

/** Names that stay capitalised in a sentence; words with inner capitals (BlackRock) and acronyms stay too. */
const PROPER_WORDS = new Set(
  `bitcoin ether ethereum solana cardano dogecoin ripple tether circle binance coinbase kraken okx bybit upbit
  nasdaq nyse blackrock fidelity grayscale franklin vanguard jpmorgan goldman sachs morgan stanley citi visa
  mastercard paypal stripe strategy saylor fed federal reserve powell treasury congress senate house white
  trump biden gensler atkins warren china chinese japan japanese korea korean south north hong kong singapore
  europe european russia russian ukraine belarus belarusian israel texas california york london america
  american americans britain british germany german france french india indian brazil argentina el salvador
  january february march april may june july august september october november december monday tuesday
  wednesday thursday friday saturday sunday beige book wall street hyperliquid securitize ardoino lukashenko
  global s&p moody's fitch layer ethena aave uniswap lido chainlink polygon arbitrum optimism base`.split(/\s+/),
);

function isKeptCapital(word: string): boolean {
  const letters = word.replace(/[^\p{L}&']/gu, '');
  if (letters === '' || !/^\p{Lu}/u.test(letters)) return true;
  if (/\p{Lu}/u.test(letters.slice(1))) return true; // BlackRock, ETF, S&P
  return PROPER_WORDS.has(letters.toLowerCase().replace(/'s$/, ''));
}

function lowerCommon(word: string): string {
  return word
    .split('-')
    .map((part) => {
      const m = /^(\p{Lu}\p{Ll}+)(.*)$/u.exec(part);
      if (!m) return part;
      const [, core = '', rest = ''] = m;
      return COMMON_WORDS.has(core.toLowerCase()) && !PROPER_WORDS.has(core.toLowerCase()) ? core.toLowerCase() + rest : part;
    })
    .join('-');
}

/**
 * Title Case -> sentence case, lowering only common words (names keep their capitals). When
 * some capitalised word is neither common nor a known name, the headline is kept as written:
 * "JPMorgan Now Expects the Fed to Cut Rates" beats a half-lowered "JPMorgan now Expects".
 */
export function toSentenceCase(text: string): string {
  const words = text.split(' ');
  if (!isTitleCase(words)) return text;
  const out = words.map((w, i) => (i === 0 || /[:!?]$/.test(words[i - 1] ?? '') ? w : lowerCommon(w)));
  const unsure = out.some((w, i) => i > 0 && !/[:!?]$/.test(out[i - 1] ?? '') && w.split('-').some((part) => !isKeptCapital(part)));
  return unsure ? text : out.join(' ');
}

/**
 * The headline without outlet suffix, kicker or trailing quote, in sentence case, without a
 * final period.
 * @example cleanHeadline('Breaking: Binance Faces $1 Billion Terrorism Lawsuit - CoinDesk', ['CoinDesk'])
 * // "Binance faces $1 billion terrorism lawsuit"
 */
export function cleanHeadline(title: string, outlets: readonly string[] = []): string {
  let t = collapse(title);
  t = stripOutletSuffix(t, outlets);
  const kicked = t.replace(KICKERS, '');
  if (wordCount(kicked) >= 3) t = kicked;
  // "X fires back at S&P: 'We wear your loathing'": the quote adds colour, not news.
  const quoted = /^(.*?):\s*['"‘“].*['"’”]$/.exec(t);
  if (quoted?.[1] && wordCount(quoted[1]) >= 3) t = quoted[1];
  t = toSentenceCase(t);
  if (!ABBREVIATION_END.test(t)) t = t.replace(/[.;:,]+$/, '');
  return t.trim();
}

/** "CoinDesk", "CoinDesk and The Block", "CoinDesk, The Block and others". */
export function joinOutlets(names: readonly string[]): string {
  const shown = names.map(withArticle);
  if (shown.length <= 1) return shown[0] ?? '';
  if (shown.length === 2) return `${shown[0]} and ${shown[1]}`;
  return `${shown[0]}, ${shown[1]} and others`;
}

/** Institutions read better with an article: "according to the Federal Reserve". */
const NEEDS_ARTICLE = new Set(['Federal Reserve', 'SEC', 'CFTC', 'U.S. Treasury', 'European Central Bank', 'Bank of England']);

function withArticle(name: string): string {
  return NEEDS_ARTICLE.has(name) ? `the ${name}` : name;
}

/** The outlets that told a story, the lead headline's outlet first, each once, by display name. */
export function storyOutlets(story: Story): string[] {
  return [...new Set(orderedSources(story).map(outletName))];
}

/** Headlines that name a document rather than say what happened. */
const DOCUMENT_TITLE = /^(?:minutes|statement|summary|agenda|transcript|remarks|testimony|projections|press release|implementation note)\b/i;

/**
 * What the sentence repeats: the most informative plain headline of the story (no question,
 * teaser or clickbait, at most MAX_SENTENCE_CHARS), else the first sentence of its summary.
 */
export function sentenceHeadline(story: Story): { headline: string; outlet: string } {
  const outlets = storyOutlets(story);
  const pick = chooseTelling(
    story,
    (title) => cleanHeadline(title, outlets),
    (title) => {
      const raw = collapse(stripOutletSuffix(collapse(title), outlets));
      return !isTitleCase(raw.split(' ')) || toSentenceCase(raw) !== raw;
    },
  );
  return { headline: pick.text, outlet: pick.outlet || (outlets[0] ?? '') };
}

/**
 * One neutral sentence for a story, attributed to up to two outlets (the one whose headline
 * is used first). `variant` alternates the phrasing ("..., CoinDesk reports." /
 * "..., according to CoinDesk.") so the paragraph reads less mechanically while staying
 * deterministic.
 * @example storySentence(story, 0) // "Binance faces $1 billion terrorism lawsuit, CoinDesk reports."
 */
export function storySentence(story: Story, variant: number): string {
  const { headline, outlet } = sentenceHeadline(story);
  // At most two outlets by name (the one whose words are used first), "and others" for the rest.
  const outlets = [...new Set([outlet, ...storyOutlets(story)])].filter(Boolean);
  const who = joinOutlets(outlets);
  const capitalWho = who.charAt(0).toUpperCase() + who.slice(1);
  const body = capSentence(headline.replace(/[?!]+/g, '').replace(/\s+$/, ''));
  if (!who) return `${body}${body.endsWith('.') ? '' : '.'}`;
  const official = outlets.length === 1 && NEEDS_ARTICLE.has(outlets[0] ?? '');
  // Official feeds title documents, not news: "Minutes of the Board's discount rate meetings...".
  if (official && DOCUMENT_TITLE.test(body)) {
    return `${capitalWho} published ${body.charAt(0).toLowerCase()}${body.slice(1)}${body.endsWith('.') ? '' : '.'}`;
  }
  // "Federal Reserve Board issues Beige Book" already says who: no ", the Federal Reserve said".
  const self = official ? new RegExp(`^(the )?${escapeRegExp(outlets[0]!)}(?![\\p{L}\\p{N}])`, 'iu').exec(body) : null;
  if (self) {
    const named = self[1] ? body.charAt(0).toUpperCase() + body.slice(1) : `The ${body}`;
    return `${named}${body.endsWith('.') ? '' : '.'}`;
  }
  if (variant % 2 === 1) return `${body}, according to ${who}.`;
  const verb = official ? 'said' : outlets.length > 1 ? 'report' : 'reports';
  return `${body}, ${who} ${verb}.`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A short form of a headline for the title: the main clause, at most `max` characters, cut
 * at a word boundary, no final punctuation.
 * @example shortHeadline('Tether CEO fires back at S&P after downgrade of USDT stability score, calls it irrelevant')
 * // "Tether CEO fires back at S&P"
 */
export function shortHeadline(title: string, outlets: readonly string[] = [], max = 70): string {
  return shorten(title, outlets, max).text;
}

/**
 * Lead B: the short form of whichever telling of the story fits without cutting a phrase,
 * sentence-case tellings first, else the lead headline cut short.
 */
export function storyShortHeadline(story: Story, max = 70): string {
  const outlets = storyOutlets(story);
  const tellings = orderedSources(story)
    .filter((s) => !isTeaser(s.title))
    .map((s) => ({
      short: shorten(s.title, outlets, max),
      sentenceCase: !isTitleCase(collapse(s.title).split(' ')) || toSentenceCase(collapse(s.title)) !== collapse(s.title),
    }));
  const whole = tellings.filter((t) => !t.short.truncated && /[\p{L}\p{N}]/u.test(t.short.text) && wordCount(t.short.text) >= 3);
  const pick = whole.find((t) => t.sentenceCase) ?? whole[0] ?? tellings.find((t) => wordCount(t.short.text) >= 3);
  if (pick) return pick.short.text;
  // Every headline teases: the summary says what happened.
  const sentence = summarySentence(story.summary);
  return sentence !== null ? shorten(sentence, outlets, max).text : shortHeadline(story.title, outlets, max);
}

function shorten(title: string, outlets: readonly string[], max: number): { text: string; truncated: boolean } {
  let t = cleanHeadline(title, outlets).replace(/[?!.]+$/, '');
  const colon = t.indexOf(': ');
  if (colon > 0) {
    const before = t.slice(0, colon);
    const after = t.slice(colon + 2);
    // Keep the half that reports: a label or teaser before the colon ("Bitcoin's bloody ballet:")
    // is dropped, a short teaser after it ("U.S. takes sudden action") too.
    const beforeOk = wordCount(before) >= 4 && !isTeaser(before);
    const afterOk = wordCount(after) >= 3 && !isTeaser(after);
    t = beforeOk || !afterOk ? before : after.charAt(0).toUpperCase() + after.slice(1);
  }
  if (t.length > 60) {
    // Drop a trailing clause ("..., analysts say", "... as traders ...") when what stays is a headline.
    const m = /^(.{20,}?)(?:,\s| — | – | -- |; | as | amid | after | while )/.exec(t);
    if (m?.[1] && wordCount(m[1]) >= 4) t = m[1];
  }
  let truncated = false;
  if (t.length > max) {
    const words = t.slice(0, max + 1).split(' ');
    words.pop();
    t = words.join(' ');
    truncated = true;
  }
  const words = t.split(' ');
  // A mid-phrase cut may leave "...options to 1" (of "1 million contracts"): drop the bare number too.
  const dangles = (w: string) => DANGLING.has(w.toLowerCase()) || (truncated && /^[$€£]?\d[\d.,]*$/.test(w));
  while (words.length > 1 && dangles(words[words.length - 1] ?? '')) words.pop();
  // A cut inside a place or name ("... pilot in Hong"): drop the half phrase with its preposition.
  if (truncated && words.length > 5 && DANGLING.has((words[words.length - 2] ?? '').toLowerCase())) words.splice(-2);
  return { text: words.join(' ').replace(/[,;:\-–—]+$/, '').trim(), truncated };
}
