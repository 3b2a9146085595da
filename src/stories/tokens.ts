/**
 * Headline text -> content tokens for near-duplicate detection: lower case, stop words out,
 * light stemming, amounts normalised ("$1 billion", "$1B", "1bn" all become `#1000000000`).
 */
import { hasHan, zhContentTokens } from '../text/zh.ts';

/** Function words and headline filler verbs that say nothing about which story it is. */
const STOP_WORDS = new Set(
  `a about above across after again against ago ahead all almost along also am amid among an and
  another any anyone are around as at back be became because become been before behind being
  below between beyond both but by can cannot could did do does doing done down during each
  either else even ever every few for from further get gets getting got had has have having he
  her here hers him his how however i if in inside into is it its itself just last latest least
  less let like live ll lot many may me might more most much must my near nearly next no nor
  not now of off on once one only onto or other our out over own per plus putting rather re
  s same says say said saying see sees seen set sets she should since so some still such than
  that the their them then there these they this those though through thus to too toward
  towards under until up upon us very via vs was we were what whatever when where whether
  which while who whom whose why will with within without would yet you your
  according amidst breaking exclusive update updated updates report reports reported reportedly
  face faces facing hit hits eye eyes eyeing sees amid here's what's watch explained opinion
  analysis live today week weekly daily new news now`.split(/\s+/u),
);

/**
 * Words nearly every crypto headline uses: they count, but little, when two headlines are
 * compared, so "Bitcoin price ..." headlines do not look alike for sharing them.
 */
const GENERIC_WORDS = [
  'bitcoin',
  'btc',
  'ether',
  'ethereum',
  'eth',
  'crypto',
  'cryptocurrency',
  'cryptocurrencies',
  'price',
  'prices',
  'market',
  'markets',
  'token',
  'tokens',
  'coin',
  'coins',
  'blockchain',
  'digital',
  'asset',
  'assets',
  'trader',
  'traders',
  'investor',
  'investors',
  'industry',
  'firm',
  'company',
  'million',
  'billion',
  'year',
  'day',
  'time',
];

/** A few spellings of the same thing folded into one token. */
const SYNONYMS: Record<string, string> = {
  btc: 'bitcoin',
  eth: 'ether',
  ethereum: 'ether',
  sol: 'solana',
  dogecoin: 'doge',
  ltc: 'litecoin',
  avax: 'avalanche',
  ada: 'cardano',
  trx: 'tron',
  toncoin: 'ton',
  // Headlines say "Ripple" for the XRP price as often as for the company.
  ripple: 'xrp',
  // A country and its adjective are one anchor: "South Korean committee" / "Korea Exchange".
  korean: 'korea',
  chinese: 'china',
  japanese: 'japan',
  russian: 'russia',
  belarusian: 'belarus',
  ukrainian: 'ukraine',
  nigerian: 'nigeria',
  turkish: 'turkey',
  british: 'uk',
  european: 'europe',
  american: 'us',
  hacker: 'hack',
  hackers: 'hack',
  hacked: 'hack',
  exploiter: 'exploit',
};

/**
 * Assets a headline can be about. Two headlines naming different assets and none in common
 * ("Bitcoin ETFs record $500M inflows" / "Ether ETFs record $500M inflows") are two stories.
 */
const ASSET_WORDS = ['bitcoin', 'ether', 'solana', 'xrp', 'bnb', 'doge', 'cardano', 'tron', 'litecoin', 'avalanche', 'polkadot', 'chainlink', 'ton', 'sui', 'usdt', 'usdc'];

const MAGNITUDE: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mn: 1e6,
  mln: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  bln: 1e9,
  billion: 1e9,
  t: 1e12,
  tn: 1e12,
  trillion: 1e12,
};

/** `$1.5 billion`, `1,000,000`, `$3K`, `2.3%`: a number with its magnitude and unit. */
const AMOUNT =
  /(?<![\p{L}\p{N}.,])([$€£¥])?\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(thousand|million|billion|trillion|mln|bln|mn|bn|tn|k|m|b|t)(?![\p{L}\p{N}]))?(\s?%|\s?percent(?![\p{L}\p{N}]))?(?![\p{L}\p{N}])/giu;

/**
 * Names written in full, as initials or as a ticker: each spelling becomes one token. The
 * upper-case forms ("US", "DOT", "HYPE") are matched case-sensitively, so the words "us",
 * "dot" and "hype" stay words. The US in any spelling becomes the stop word "us": it is the
 * setting of most regulation and macro stories, not their anchor (tried as a name: shutdown
 * explainers merged with the shutdown's news).
 */
const ALIAS_TABLE: [RegExp, string][] = [
  [/^(?:U\.S\.A?\.?|US|USA|United States(?: of America)?)$/u, 'us'],
  [/^(?:U\.K\.?|UK|United Kingdom|Britain)$/iu, 'uk'],
  [/^(?:Securities and Exchange Commission)$/iu, 'sec'],
  [/^(?:Commodity Futures Trading Commission)$/iu, 'cftc'],
  [/^(?:European Central Bank)$/iu, 'ecb'],
  [/^(?:Internal Revenue Service)$/iu, 'irs'],
  [/^(?:Department of Justice|Justice Department)$/iu, 'doj'],
  [/^(?:Office of the Comptroller of the Currency)$/iu, 'occ'],
  [/^(?:Federal Deposit Insurance Corporation)$/iu, 'fdic'],
  [/^(?:New York Department of Financial Services|NY Financial Services|New York Financial Services)$/iu, 'nydfs'],
  [/^(?:Financial Times)$/iu, 'ft'],
  [/^(?:StanChart|Standard Chartered)$/iu, 'standardchartered'],
  [/^(?:gov'?t|govt)$/iu, 'government'],
  [/^DOT$/u, 'polkadot'],
  [/^ATOM$/u, 'cosmos'],
  [/^HYPE$/u, 'hyperliquid'],
  [/^LINK$/u, 'chainlink'],
];
const ALIASES =
  /(?<![\p{L}\p{N}])(?:U\.S\.A?\.?|U\.K\.?|United States(?: of America)?|United Kingdom|Britain|Securities and Exchange Commission|Commodity Futures Trading Commission|European Central Bank|Internal Revenue Service|Department of Justice|Justice Department|Office of the Comptroller of the Currency|Federal Deposit Insurance Corporation|New York (?:Department of )?Financial Services|NY Financial Services|Financial Times|Standard Chartered|StanChart|gov'?t|govt)(?![\p{L}\p{N}])|(?<![\p{L}\p{N}$])(?:US|USA|UK|DOT|ATOM|HYPE|LINK)(?![\p{L}\p{N}])/gu;

function aliasOf(spelling: string): string {
  const found = ALIAS_TABLE.find(([re]) => re.test(spelling));
  return found ? found[1] : spelling;
}

/**
 * A light stemmer: folds plurals and -ing/-ed/-e endings so "lawsuits"/"lawsuit" and
 * "financing"/"finance" meet. Not linguistics: it only has to be consistent.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/u.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/u.test(w)) w = w.slice(0, -1);
  let stripped = false;
  if (w.endsWith('ing') && w.length > 5) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith('ed') && w.length > 4) {
    w = w.slice(0, -2);
    stripped = true;
  }
  // "slipped" -> "slipp" -> "slip", but "falling" -> "fall" keeps its ll.
  if (stripped && /([bdgmnprt])\1$/u.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

const GENERIC = new Set(GENERIC_WORDS.map((w) => stem(SYNONYMS[w] ?? w)));

/** Whether a token is one of the generic crypto words (weighted low in similarity). */
export function isGenericToken(token: string): boolean {
  return GENERIC.has(token);
}

/** Whether a token is an amount (`#...`), the kind whose disagreement means two stories. */
export function isAmountToken(token: string): boolean {
  return token.startsWith('#');
}

const ASSETS = new Set(ASSET_WORDS.map((w) => stem(w)));

/** Whether a token names an asset (see ASSET_WORDS). */
export function isAssetToken(token: string): boolean {
  return ASSETS.has(token);
}

function amountToken(digits: string, fraction: string | undefined, magnitude: string | undefined, unit: boolean, currency: boolean): string {
  const value = Number(digits.replace(/,/gu, '') + (fraction ?? '')) * (magnitude ? (MAGNITUDE[magnitude.toLowerCase()] ?? 1) : 1);
  const shown = String(Number(value.toPrecision(9)));
  if (unit) return `#${shown}%`;
  // A bare four-digit year is a date, not an amount: "2025" stays an ordinary token.
  if (!currency && !magnitude && !fraction && /^(?:19|20)\d\d$/u.test(digits)) return digits;
  // A small bare count ("3 reasons", "8 months", "75x") is a word, not a figure to agree on.
  if (!currency && !magnitude && !fraction && value < 1000) return digits;
  return `#${shown}`;
}

/**
 * Content tokens of a headline, in order of appearance, without repeats.
 *
 * @example
 * contentTokens('Binance faces $1 billion terrorism lawsuit') // => ['binance', '#1000000000', 'terrorism', 'lawsuit']
 * contentTokens('Binance hit with $1B lawsuit')                // => ['binance', '#1000000000', 'lawsuit']
 */
export function contentTokens(text: string): string[] {
  const out = new Set<string>();
  const normalised = text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`]/gu, "'")
    .replace(/'s(?![\p{L}\p{N}])/giu, '')
    // A few phrases that are one thing: "all-time high" is a record, "hash rate" one word.
    .replace(/\ball[- ]time[- ]highs?\b|\brecord[- ]highs?\b/giu, ' record ')
    .replace(/\bATHs?\b/gu, ' record ')
    .replace(/\bhash[- ]rates?\b/giu, ' hashrate ')
    // One name, several spellings: a country or an agency and its initials, a ticker and its chain.
    .replace(ALIASES, (m) => ` ${aliasOf(m)} `)
    .replace(/\b(?:the )?federal reserve(?: board| system)?\b/giu, ' fed ')
    // Event verbs outlets vary: "steps down" / "resigns" / "to leave", "acquires" / "buys".
    .replace(/\bsteps?(?:ping)? down\b|\bresign(?:s|ed|ing|ation)?\b|\bto leave\b|\bquits?\b/giu, ' resign ')
    .replace(/\bacquir(?:es|ed|e)\b|\bacquisition\b|\bpurchas(?:es|ed|e)\b|\bbought\b|\bbuys\b/giu, ' buy ')
    .replace(/\bsued\b|\bsues\b|\blawsuits?\b/giu, ' sue ')
    .replace(/\bawak(?:en|ens|ened|ening|es|e)\b|\bwak(?:es|e|ing) up\b|\bwoke up\b/giu, ' wake ')
    .replace(/\bpartners? with\b|\bpartnership\b|\bteams? up with\b|\bteams? with\b|\btie-up\b|\bcollab(?:oration)?\b/giu, ' partner ')
    .replace(/'/gu, '');
  let last = 0;
  const words = (chunk: string): void => {
    // "Metaplanet扩展…": a Latin name glued to Chinese is a word of its own (the Chinese goes to zhContentTokens).
    const spaced = hasHan(chunk) ? chunk.replace(/([\u3400-\u9fff])(?=[A-Za-z0-9])|([A-Za-z0-9])(?=[\u3400-\u9fff])/gu, '$1$2 ') : chunk;
    for (const raw of spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (raw === '' || STOP_WORDS.has(raw) || hasHan(raw)) continue; // Chinese: zhContentTokens below
      if (raw.length === 1 && !/\d/u.test(raw)) continue;
      const token = stem(SYNONYMS[raw] ?? raw);
      if (token !== '' && !STOP_WORDS.has(token)) out.add(token);
    }
  };
  for (const m of normalised.matchAll(AMOUNT)) {
    words(normalised.slice(last, m.index));
    const [, currency, digits = '0', fraction, magnitude, unit] = m;
    out.add(amountToken(digits, fraction, magnitude, unit !== undefined, currency !== undefined));
    last = m.index + m[0].length;
  }
  words(normalised.slice(last));
  // Chinese text (src/text/zh.ts): segmented words and 万/亿 amounts as the same tokens.
  if (hasHan(normalised)) for (const token of zhContentTokens(normalised)) out.add(token);
  return [...out];
}
