import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIndex,
  formatPct,
  formatPctLevel,
  formatPctMove,
  formatProbability,
  formatUsd,
  formatUsdCompact,
  formatUsdMillions,
} from '../../src/util/format.ts';
import { extractNumbers, matchesValue, type NumberKind, type NumberMention } from '../../src/writers/numbers.ts';

/** Sentences a brief might put a number in, in English and Chinese. */
const CONTEXTS = [
  (s: string) => `BTC trades at ${s}, according to CoinGecko.`,
  (s: string) => `ETH (${s}) led the market`,
  (s: string) => `以太坊报${s}，据CoinGecko数据。`,
  (s: string) => `${s} is the figure`,
  (s: string) => `Flows: ${s}; more later`,
];

function only(text: string): NumberMention {
  const found = extractNumbers(text);
  expect(found, `numbers in ${JSON.stringify(text)}`).toHaveLength(1);
  return found[0]!;
}

interface Shape {
  name: string;
  format: (v: number) => string;
  kind: NumberKind;
  values: fc.Arbitrary<number>;
  /** The value the text stands for, in the extractor's units. */
  meaning: (v: number) => number;
}

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const SHAPES: Shape[] = [
  { name: 'formatUsd', format: formatUsd, kind: 'usd', values: fc.oneof(finite(-5e6, 5e6), finite(-2, 2), finite(1e-9, 1e-3)), meaning: (v) => v },
  { name: 'formatUsdCompact', format: formatUsdCompact, kind: 'usd', values: fc.oneof(finite(1e6, 5e14), finite(-5e12, -1e6)), meaning: (v) => v },
  { name: 'formatPct', format: formatPct, kind: 'percent', values: finite(-500, 500), meaning: (v) => v },
  { name: 'formatPctMove', format: formatPctMove, kind: 'percent', values: finite(-500, 500), meaning: (v) => v },
  { name: 'formatPctLevel', format: formatPctLevel, kind: 'percent', values: finite(-5, 30), meaning: (v) => v },
  { name: 'formatUsdMillions', format: formatUsdMillions, kind: 'usd', values: finite(-50_000, 50_000), meaning: (v) => v * 1e6 },
  { name: 'formatProbability', format: formatProbability, kind: 'percent', values: finite(0, 1), meaning: (v) => v * 100 },
  { name: 'formatIndex', format: formatIndex, kind: 'plain', values: finite(0, 100), meaning: (v) => v },
];

describe('every way the formatter writes a number is recognised and matched to its value', () => {
  for (const shape of SHAPES) {
    it(shape.name, () => {
      fc.assert(
        fc.property(shape.values, fc.constantFrom(...CONTEXTS), (v, context) => {
          const shown = shape.format(v);
          const mention = only(context(shown));
          expect(mention.raw).toBe(shown);
          // An index of 1900-2100 would read as a year; the formatter's range (0-100) never gets there.
          expect(mention.kind).toBe(shape.kind);
          expect(matchesValue(mention, shape.meaning(v))).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('numbers outside rounding are not matched', () => {
  for (const shape of SHAPES) {
    it(shape.name, () => {
      fc.assert(
        fc.property(shape.values, finite(0.01, 20), fc.boolean(), (v, d, up) => {
          const mention = only(`x ${shape.format(v)} y`);
          const size = Math.abs(mention.value);
          const sign = mention.value < 0 ? -1 : 1;
          // Farther than the shown precision and than the 5% allowed for one-digit round amounts.
          const gap = Math.max(mention.step / 2, 0.06 * size) * (1 + d);
          const other = sign * (up || gap >= size ? size + gap : size - gap);
          expect(matchesValue(mention, other)).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('a signed change does not match the opposite move', () => {
    fc.assert(
      fc.property(finite(0.1, 300), fc.boolean(), (size, up) => {
        const v = up ? size : -size;
        expect(matchesValue(only(formatPct(v)), -v)).toBe(false);
      }),
    );
  });
});

describe('one number, many spellings', () => {
  it.each(['3,000', '$3K', '3000.00', '$3,000', 'US$3,000', '3,000 USD', '3,000美元', '$3k'])('"%s" is 3,000', (text) => {
    const m = only(`ETH at ${text} now`);
    expect(m.value).toBe(3000);
    expect(matchesValue(m, 3000)).toBe(true);
  });

  it.each([
    ['$15.4 billion', 15.4e9],
    ['$15.4bn', 15.4e9],
    ['15.4B', 15.4e9],
    ['$15,400 million', 15.4e9],
    ['154亿美元', 15.4e9],
    ['$523.4m', 523.4e6],
    ['$2.1 trillion', 2.1e12],
    ['$950K', 950e3],
  ])('"%s" is %d', (text, value) => {
    const m = only(`inflows of ${text} in total`);
    expect(matchesValue(m, value)).toBe(true);
  });

  it('2.5% and 2.50% are one number; 2.5% also stands for 2.46 but 2.50% does not', () => {
    expect(matchesValue(only('2.5%'), 2.5)).toBe(true);
    expect(matchesValue(only('2.50%'), 2.5)).toBe(true);
    expect(matchesValue(only('2.5%'), 2.46)).toBe(true);
    expect(matchesValue(only('2.50%'), 2.46)).toBe(false);
  });

  it('a round level may stand for a price close to it, not a far one', () => {
    expect(matchesValue(only('$3,000'), 3012.4)).toBe(true);
    expect(matchesValue(only('$3K'), 3450)).toBe(false);
    expect(matchesValue(only('$3,500'), 3548)).toBe(true);
    expect(matchesValue(only('$90,000'), 91234.56)).toBe(true);
    expect(matchesValue(only('$95,000'), 91234.56)).toBe(false);
    expect(matchesValue(only('$91,000'), 92900)).toBe(false);
  });

  it('reads basis points, percentage points and the Chinese forms', () => {
    expect(only('a 25 bps cut')).toMatchObject({ kind: 'bps', value: 25 });
    expect(only('a 25 basis-point cut')).toMatchObject({ kind: 'bps', value: 25 });
    expect(only('降息25个基点')).toMatchObject({ kind: 'bps', value: 25 });
    expect(only('up 0.25 percentage points')).toMatchObject({ kind: 'percent', value: 0.25 });
    expect(only('下跌2.3％')).toMatchObject({ kind: 'percent', value: 2.3 });
  });

  it('keeps an explicit sign and reads ranges without inventing one', () => {
    expect(only('ETH (-2.3%)')).toMatchObject({ value: -2.3, signed: true });
    expect(only('outflows of -$120.5 million')).toMatchObject({ value: -120.5e6, signed: true });
    expect(extractNumbers('target range 4.25%-4.50%').map((m) => [m.value, m.signed])).toEqual([
      [4.25, false],
      [4.5, false],
    ]);
  });
});

describe('dates, years and things that are not claims', () => {
  it('reads dates in English, ISO and Chinese as dates, not as loose numbers', () => {
    const found = extractNumbers('On December 10, 2025 (2025-12-10), Dec. 9th and 10 December; 12月10日 and 2025年12月 at 14:30 UTC');
    expect(found.map((m) => [m.kind, m.value])).toEqual([
      ['date', 1210],
      ['date', 1210],
      ['date', 1209],
      ['date', 1210],
      ['date', 1210],
      ['month', 12],
      ['time', 870],
    ]);
    expect(found[0]!.year).toBe(2025);
  });

  it('reads a bare 4-digit number in 1900-2100 as a year', () => {
    expect(only('since 2018')).toMatchObject({ kind: 'year', value: 2018 });
    expect(only('2,000 BTC')).toMatchObject({ kind: 'plain', value: 2000 });
  });

  it('ignores digits inside names, tickers and fixed terms', () => {
    const text = 'Web3, L2s and layer-2 tokens, COVID-19, 3x leverage, the 2nd time, 0x1f2e, the S&P 500, Q3, G7, 24h volume, in 24 hours, the 10-year Treasury yield, 10年期国债, 24小时';
    expect(extractNumbers(text)).toEqual([]);
  });

  it('still reads counts and plain numbers', () => {
    expect(extractNumbers('3 ETFs and 12 exchanges, index at 28').map((m) => m.value)).toEqual([3, 12, 28]);
  });
});
