/**
 * Finds the numbers a sentence claims (prices, percentages, dollar amounts with
 * million/billion/K/M/B, basis points, counts, years, dates, times) and says whether a
 * claimed number is a rounding of a known value. The grounding check is built on this.
 * Language-agnostic where it matters: digits, `$`/`US$`/`USD`/`美元`, `%`/`％`,
 * English and Chinese multipliers (万, 亿), English month names and `12月10日`, numbers in words
 * with a scale or unit ("fifteen billion", "a quarter point"), and hedges ("about", "nearly").
 */
import { DATE_PATTERNS } from './number-dates.ts';
import { findWordNumbers, hedgeBefore, type Hedge, type WordNumber } from './number-words.ts';

export type { Hedge } from './number-words.ts';

export type NumberKind = 'usd' | 'percent' | 'bps' | 'plain' | 'year' | 'date' | 'month' | 'time';

export interface NumberMention {
  /** The text as written, e.g. "$15.4 billion". */
  raw: string;
  /** Offset of `raw` in the text. */
  index: number;
  kind: NumberKind;
  /**
   * The value in base units: dollars for usd, 2.5 for "2.5%", 25 for "25 bps", the year,
   * month * 100 + day for a date, the month (1-12), minutes after midnight for a time.
   */
  value: number;
  /** Granularity of the digits shown (0.1 for "2.5%", 1e8 for "$15.4 billion"); 0 for exact kinds. */
  step: number;
  /** How many significant digits were shown ("$3,000" and "$3K" have 1). */
  significant: number;
  /** Digits shown after the decimal point. */
  decimals: number;
  /** An explicit "+" or "-" was written, so the sign is part of the claim. */
  signed: boolean;
  /** A whole amount ending in zeros ("$3,500", "90"): a round level, which may stand for a nearby value. */
  round: boolean;
  /** The year written with a date ("December 10, 2025"), if any. */
  year?: number;
  /** A word before it that loosens or bounds the claim: "about $91,000", "nearly $129 million", "more than 80%". */
  hedge?: Hedge;
}


/** Phrases that contain digits but are names or fixed terms, not claims. */
export const NOT_A_CLAIM: RegExp[] = [
  /\b24[\s-]?(?:h|hrs?|hours?)\b/gi,
  /24\s?小时/g,
  /\b(?:1|2|3|5|7|10|20|30)[\s-]?(?:y|yr|year)(?:s)?[\s-]+(?:us\s+)?(?:treasury|treasuries|yield|note|bond|t-note)s?\b/gi,
  /\b(?:10|2|30)y\b/gi,
  /(?:1|2|5|10|30)\s?年期/g,
  /\bS&P\s?500\b/gi,
  /\bNasdaq[\s-]?100\b/gi,
  /\bRussell\s2000\b/gi,
  /\bDow\s30\b/gi,
];

interface Multiplier {
  re: RegExp;
  factor: number;
}

/** Tried in order, anchored at the end of the digits; single letters need no space and no letter after. */
const MULTIPLIERS: Multiplier[] = [
  { re: /^\s?trillions?(?![A-Za-z])/i, factor: 1e12 },
  { re: /^\s?billions?(?![A-Za-z])/i, factor: 1e9 },
  { re: /^\s?millions?(?![A-Za-z])/i, factor: 1e6 },
  { re: /^\s?thousands?(?![A-Za-z])/i, factor: 1e3 },
  { re: /^\s?(?:tn|trn)(?![A-Za-z])/i, factor: 1e12 },
  { re: /^\s?(?:bn|bln)(?![A-Za-z])/i, factor: 1e9 },
  { re: /^\s?(?:mn|mln|mm)(?![A-Za-z])/i, factor: 1e6 },
  { re: /^T(?![A-Za-z])/, factor: 1e12 },
  { re: /^[Bb](?![A-Za-z])/, factor: 1e9 },
  { re: /^[Mm](?![A-Za-z])/, factor: 1e6 },
  { re: /^[Kk](?![A-Za-z])/, factor: 1e3 },
  { re: /^\s?万亿/, factor: 1e12 },
  { re: /^\s?亿/, factor: 1e8 },
  { re: /^\s?百万/, factor: 1e6 },
  { re: /^\s?万/, factor: 1e4 },
  { re: /^\s?千/, factor: 1e3 },
];

const PERCENT = /^\s?(?:%|％|percent(?:age points?)?(?![A-Za-z])|per\s?cent(?![A-Za-z])|pct(?![A-Za-z])|pp(?![A-Za-z])|ppts?(?![A-Za-z])|个百分点|百分点)/i;
const BPS = /^\s?(?:bps|bp|basis[\s-]points?|个基点|基点)(?![A-Za-z])/i;
const USD_SUFFIX = /^\s?(?:USD(?![A-Za-z])|US\s?dollars?(?![A-Za-z])|dollars?(?![A-Za-z])|美元|美金)/i;
const USD_PREFIX = /(?:US\$|\$|USD\s?)\s?$/;
const SIGN_CHARS = '+-−–';

const CORE = /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?/g;

/**
 * Every number a text claims, in order of appearance.
 * @example extractNumbers('ETH returned to $3,000, up 2.5%') // [{ kind: 'usd', value: 3000, ... }, { kind: 'percent', value: 2.5, ... }]
 */
export function extractNumbers(text: string): NumberMention[] {
  const out: NumberMention[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (a: number, b: number) => taken.some(([s, e]) => a < e && b > s);

  for (const re of NOT_A_CLAIM) {
    for (const m of text.matchAll(new RegExp(re.source, re.flags))) taken.push([m.index, m.index + m[0].length]);
  }
  for (const pattern of DATE_PATTERNS) {
    for (const m of text.matchAll(new RegExp(pattern.re.source, pattern.re.flags))) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      const read = pattern.read(m as RegExpExecArray);
      if (!read) continue;
      taken.push([start, end]);
      const mention: NumberMention = { raw: m[0], index: start, kind: read.kind, value: read.value, step: 0, significant: 0, decimals: 0, signed: false, round: false };
      if (read.year !== undefined) mention.year = read.year;
      out.push(mention);
    }
  }

  for (const w of findWordNumbers(text)) {
    if (overlaps(w.start, w.end)) continue;
    taken.push([w.start, w.end]);
    out.push(wordMention(text, w));
  }

  for (const m of text.matchAll(new RegExp(CORE.source, CORE.flags))) {
    const start = m.index;
    const intPart = m[1]!;
    const fracPart = m[2] ?? '';
    let end = start + m[0].length;
    if (overlaps(start, end)) continue;
    const before = text[start - 1] ?? '';
    // Part of a word or identifier: Web3, L2, G7, 0x1f, COVID-19, layer-2, a version "1.2.3".
    if (/[A-Za-z0-9_.,]/.test(before)) continue;
    if (before === '-' && /[A-Za-z]/.test(text[start - 2] ?? '')) continue;
    if (before === '第') continue;

    // What comes before: a currency sign, then maybe a sign.
    const head = text.slice(0, start);
    const prefix = USD_PREFIX.exec(head);
    let first = start;
    let usd = false;
    if (prefix) {
      usd = true;
      first = start - prefix[0].length;
    }
    let signed = false;
    let negative = false;
    const signChar = text[first - 1] ?? '';
    const beforeSign = text[first - 2] ?? '';
    if (signChar !== '' && SIGN_CHARS.includes(signChar) && !/[A-Za-z0-9%.)]/.test(beforeSign)) {
      signed = true;
      negative = signChar !== '+';
      first -= 1;
    }

    // What comes after: a multiplier, then a unit.
    let rest = text.slice(end);
    let factor = 1;
    let hasMultiplier = false;
    for (const mult of MULTIPLIERS) {
      const hit = mult.re.exec(rest);
      if (hit) {
        factor = mult.factor;
        hasMultiplier = true;
        end += hit[0].length;
        rest = text.slice(end);
        break;
      }
    }
    let kind: NumberKind = usd ? 'usd' : 'plain';
    const pct = PERCENT.exec(rest);
    const bps = pct ? null : BPS.exec(rest);
    const usdSuffix = pct || bps ? null : USD_SUFFIX.exec(rest);
    if (pct) {
      kind = 'percent';
      end += pct[0].length;
    } else if (bps) {
      kind = 'bps';
      end += bps[0].length;
    } else if (usdSuffix) {
      kind = 'usd';
      end += usdSuffix[0].length;
    }
    // "3x", "2nd", "5th", "10am": a word that starts with digits, not an amount.
    if (/[A-Za-z0-9_]/.test(text[end] ?? '')) continue;

    const digits = intPart.replace(/,/g, '');
    let value = Number(`${digits}${fracPart ? `.${fracPart}` : ''}`);
    if (!Number.isFinite(value)) continue;

    if (kind === 'plain' && !hasMultiplier && !signed && fracPart === '' && !intPart.includes(',') && /^\d{4}$/.test(digits) && value >= 1900 && value <= 2100) {
      out.push({ raw: text.slice(first, end), index: first, kind: 'year', value, step: 0, significant: 4, decimals: 0, signed: false, round: false });
      continue;
    }

    const trailingZeros = fracPart === '' ? (/0+$/.exec(digits.replace(/^0+(?=\d)/, ''))?.[0].length ?? 0) : 0;
    const allDigits = `${digits}${fracPart}`.replace(/^0+/, '');
    let significant = fracPart === '' ? Math.max(1, allDigits.length - trailingZeros) : Math.max(1, allDigits.length);
    if (value === 0) significant = 1;
    let step = fracPart ? 10 ** -fracPart.length : 1;
    // Trailing zeros of a whole amount may be rounding ("$3,000"); of a percentage they are not ("90%").
    if ((kind === 'usd' || kind === 'plain') && trailingZeros > 0 && value !== 0) step = 10 ** trailingZeros;
    step *= factor;
    value *= factor;
    if (negative) value = -value;
    const round = (kind === 'usd' || kind === 'plain') && trailingZeros > 0 && value !== 0;
    out.push({ raw: text.slice(first, end), index: first, kind, value, step, significant, decimals: fracPart.length, signed, round });
  }
  for (const mention of out) {
    const hedge = hedgeBefore(text.slice(Math.max(0, mention.index - 24), mention.index));
    if (hedge && mention.kind !== 'date' && mention.kind !== 'month' && mention.kind !== 'time' && mention.kind !== 'year') mention.hedge = hedge;
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A number written in words as a mention, rounded like the same number in digits. */
function wordMention(text: string, w: WordNumber): NumberMention {
  const raw = text.slice(w.start, w.end);
  if (w.exactStep !== undefined) {
    return { raw, index: w.start, kind: w.kind, value: w.value, step: w.exactStep, significant: 2, decimals: 1, signed: false, round: false };
  }
  const trailingZeros = /0+$/.exec(w.digits)?.[0].length ?? 0;
  const round = (w.kind === 'usd' || w.kind === 'plain') && trailingZeros > 0 && w.value !== 0;
  const significant = Math.max(1, w.digits.length - trailingZeros);
  const step = (round ? 10 ** trailingZeros : 1) * w.factor;
  return { raw, index: w.start, kind: w.kind, value: w.value, step, significant, decimals: 0, signed: false, round };
}

/**
 * Relative slack for a one-significant-digit amount: "$3K" may stand for 3,012 but not 3,450,
 * and "$1 billion" for 1.04e9 (the formatter drops ".0", so that is its own rounding).
 */
export const ONE_DIGIT_RELATIVE_SLACK = 0.05;
/** A round level ("$3,500") may stand for a price this close to it, as the extractive writer's "returns to $3,500" does. */
export const ROUND_LEVEL_RELATIVE_SLACK = 0.015;

/** "about $91,000" may stand for a value this close (relative). */
export const HEDGE_APPROX_SLACK = 0.02;
/** "nearly $129 million": at most the figure, at least this much below it. */
export const HEDGE_NEARLY_SLACK = 0.05;
/** "more than $120 million" / "under $3,100": on the right side, and not absurdly far from it. */
export const HEDGE_BOUND_SLACK = 0.15;

/** How far from `mention.value` a true value may be for the mention to be a fair rounding of it. */
export function tolerance(mention: NumberMention, target: number): number {
  let tol = mention.step / 2;
  if (mention.kind === 'usd' || mention.kind === 'plain') {
    const size = Math.abs(target);
    // Only coarse roundings ("$3K", "$3,000", "$1 billion") get the cap; "5" for 5.4 is ordinary rounding.
    if (mention.significant <= 1 && mention.decimals === 0 && mention.step >= 10) tol = Math.min(tol, ONE_DIGIT_RELATIVE_SLACK * size);
    if (mention.round) tol = Math.max(tol, ROUND_LEVEL_RELATIVE_SLACK * size);
  }
  // Floating-point slack relative to the numbers involved, so "2.5%" still stands for 2.55.
  return tol + 1e-9 * Math.max(Math.abs(target), mention.step);
}

/**
 * Is the mention a rounding of `target` to the precision it shows? An unsigned mention is
 * compared with the size of the target ("outflows of $120 million" for -120e6), a signed one
 * with the target itself ("+1.2%" does not match -1.2).
 * @example matchesValue(extractNumbers('$3K')[0]!, 3012.4) // true
 */
export function matchesValue(mention: NumberMention, target: number): boolean {
  if (!Number.isFinite(target)) return false;
  if (mention.kind === 'date' || mention.kind === 'month' || mention.kind === 'time') return mention.value === target;
  if (mention.kind === 'year') return mention.value === target;
  const claimed = mention.signed ? mention.value : Math.abs(mention.value);
  const actual = mention.signed ? target : Math.abs(target);
  if (mention.signed && mention.value !== 0 && target !== 0 && Math.sign(claimed) !== Math.sign(actual)) return false;
  const tol = tolerance(mention, target);
  // A hedge widens or bounds what the figure may stand for, never beyond a fair reading of it.
  const size = Math.abs(claimed);
  const tiny = 1e-9 * Math.max(size, 1);
  switch (mention.hedge) {
    case 'approx':
      // One more digit of slack, or 2%: not the round-level slack doubled ("near $89,200" is not 91,235).
      return Math.abs(claimed - actual) <= Math.max(tol, mention.step, HEDGE_APPROX_SLACK * size);
    case 'nearly':
      return actual <= claimed + tol && actual >= claimed - Math.max(tol, HEDGE_NEARLY_SLACK * size);
    // A bound is a bound: "below $140" is false for 142.18, however "$140" might be rounded.
    case 'over':
      return actual > claimed - tiny && actual <= claimed + HEDGE_BOUND_SLACK * size;
    case 'under':
      return actual < claimed + tiny && actual >= claimed - HEDGE_BOUND_SLACK * size;
    default:
      return Math.abs(claimed - actual) <= tol;
  }
}

/** A short label for messages: "price $3,450", "percentage 12.7%". */
export function describeMention(mention: NumberMention): string {
  const label: Record<NumberKind, string> = {
    usd: Math.abs(mention.value) >= 1e6 ? 'amount' : 'price',
    percent: 'percentage',
    bps: 'basis points',
    plain: 'number',
    year: 'year',
    date: 'date',
    month: 'month',
    time: 'time',
  };
  return `${label[mention.kind]} ${mention.raw.trim()}`;
}
