/**
 * Numbers written in words, as models write them: "fifteen billion", "twenty-five basis
 * points", "a quarter point", "half a percent", "half a billion dollars". Only words with a
 * scale or a unit count as claims: "one of the largest" or "two outlets" say nothing about
 * the data. Used by numbers.ts, which turns each find into a NumberMention.
 */

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const UNIT_WORD = Object.keys(UNITS).join('|');
const TENS_WORD = Object.keys(TENS).join('|');
/** "twenty-five", "ninety", "fifteen", "a hundred", "three hundred and twenty". */
const WORD_NUMBER = `(?:(?:a|one|${UNIT_WORD.replace('zero|', '')})\\s+hundred(?:\\s+(?:and\\s+)?(?:(?:${TENS_WORD})(?:[\\s-](?:${UNIT_WORD}))?|${UNIT_WORD}))?|(?:${TENS_WORD})(?:[\\s-](?:${UNIT_WORD}))?|${UNIT_WORD})`;

/** Parses what WORD_NUMBER matched. */
export function wordValue(words: string): number {
  let total = 0;
  let current = 0;
  for (const w of words.toLowerCase().split(/[\s-]+/)) {
    if (w === 'and') continue;
    if (w === 'a') current = 1;
    else if (w === 'hundred') current = (current || 1) * 100;
    else current += UNITS[w] ?? TENS[w] ?? 0;
  }
  total += current;
  return total;
}

export type WordKind = 'usd' | 'plain' | 'percent' | 'bps';

export interface WordNumber {
  start: number;
  end: number;
  kind: WordKind;
  value: number;
  /** The number as digits, for the same rounding rules as "15 billion" ("15"). */
  digits: string;
  factor: number;
  /** A fraction ("a quarter point"): exact, with this much slack. */
  exactStep?: number;
}

const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const SCALE = '(thousand|million|billion|trillion)s?';
const PCT = '(?:per\\s?cent|percent(?:age\\s+points?)?)';
const BPS = '(?:basis[\\s-]points?|bps)';

interface Pattern {
  re: RegExp;
  read(m: RegExpExecArray): Omit<WordNumber, 'start' | 'end'>;
}

const usdAfter = (m: RegExpExecArray, i: number) => (m[i] ? 'usd' : 'plain') as WordKind;

const PATTERNS: Pattern[] = [
  {
    // a quarter point, a quarter-point cut, a quarter of a percentage point, three-quarters of a point
    re: /\b(?:(a|one|three)[\s-])?quarters?[\s-](?:of\s+a\s+)?(?:percentage[\s-])?point\b/gi,
    read: (m) => ({ kind: 'bps', value: m[1]?.toLowerCase() === 'three' ? 75 : 25, digits: '', factor: 1, exactStep: 2 }),
  },
  {
    // half a point, a half-point hike, half a percentage point
    re: /\b(?:a\s+)?half[\s-](?:a\s+)?(?:percentage[\s-])?point\b/gi,
    read: () => ({ kind: 'bps', value: 50, digits: '', factor: 1, exactStep: 2 }),
  },
  {
    // half a percent, a quarter percent, a quarter of a percent
    re: new RegExp(`\\b(?:a\\s+)?(half|quarter)\\s+(?:of\\s+)?(?:a\\s+)?${PCT}(?![A-Za-z])`, 'gi'),
    read: (m) => ({ kind: 'percent', value: m[1]!.toLowerCase() === 'half' ? 0.5 : 0.25, digits: '', factor: 1, exactStep: 0.1 }),
  },
  {
    // half a billion (dollars)
    re: new RegExp(`\\bhalf\\s+a\\s+${SCALE}(\\s+(?:US\\s+)?dollars?)?\\b`, 'gi'),
    read: (m) => ({ kind: usdAfter(m, 2), value: 0.5 * SCALES[m[1]!.toLowerCase()]!, digits: '5', factor: SCALES[m[1]!.toLowerCase()]! / 10 }),
  },
  {
    // fifteen billion (dollars), twenty-five million
    re: new RegExp(`\\b(${WORD_NUMBER})\\s+${SCALE}(\\s+(?:US\\s+)?dollars?)?\\b`, 'gi'),
    read: (m) => {
      const factor = SCALES[m[2]!.toLowerCase()]!;
      const n = wordValue(m[1]!);
      return { kind: usdAfter(m, 3), value: n * factor, digits: String(n), factor };
    },
  },
  {
    // twenty-five basis points, fifteen percent, fourteen points
    re: new RegExp(`\\b(${WORD_NUMBER})\\s+(${BPS}|${PCT}|points?)(?![A-Za-z])`, 'gi'),
    read: (m) => {
      const n = wordValue(m[1]!);
      const unit = m[2]!.toLowerCase();
      const kind: WordKind = /^(basis|bps)/.test(unit) ? 'bps' : /^per/.test(unit) ? 'percent' : 'plain';
      return { kind, value: n, digits: String(n), factor: 1 };
    },
  },
];

/**
 * @example findWordNumbers('ETF inflows of fifteen billion dollars') // [{ kind: 'usd', value: 15e9, ... }]
 */
export function findWordNumbers(text: string): WordNumber[] {
  const out: WordNumber[] = [];
  const overlaps = (a: number, b: number) => out.some((w) => a < w.end && b > w.start);
  for (const p of PATTERNS) {
    for (const m of text.matchAll(new RegExp(p.re.source, p.re.flags))) {
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      out.push({ start, end, ...p.read(m as RegExpExecArray) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** approx: about/around/roughly; nearly: nearly/almost (at most the figure); over/under: a bound. */
export type Hedge = 'approx' | 'nearly' | 'over' | 'under';

const HEDGES: ReadonlyArray<[RegExp, Hedge]> = [
  [/(?:\b(?:about|around|roughly|approximately|approx\.?|some|circa|close to|near)|~)\s*$/i, 'approx'],
  [/\b(?:nearly|almost|just under|just below|just shy of)\s*$/i, 'nearly'],
  [/\b(?:more than|over|above|at least|upwards of|north of|in excess of|topping)\s*$/i, 'over'],
  [/\b(?:less than|under|below|fewer than|south of)\s*$/i, 'under'],
];

/** The hedge a number is written with, from the text just before it ("about ", "more than "). */
export function hedgeBefore(before: string): Hedge | undefined {
  return HEDGES.find(([re]) => re.test(before))?.[1];
}
