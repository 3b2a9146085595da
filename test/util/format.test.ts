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

describe('formatUsd', () => {
  it.each([
    [3000, '$3,000'],
    [91234.56, '$91,235'],
    [1_820_000_000, '$1,820,000,000'],
    [874.32, '$874.32'],
    [2.1849, '$2.18'],
    [0.51234, '$0.5123'],
    [0.5, '$0.50'],
    [0.00001234, '$0.00001234'],
    [0, '$0.00'],
    [-1204.2, '-$1,204'],
  ])('%d -> %s', (n, expected) => {
    expect(formatUsd(n)).toBe(expected);
  });

  it('switches to whole dollars when cents would round up to $1,000', () => {
    expect(formatUsd(999.996)).toBe('$1,000');
    expect(formatUsd(999.99)).toBe('$999.99');
  });

  it('never prints a negative zero', () => {
    expect(formatUsd(-1e-25)).toBe('$0.00');
    expect(formatUsd(-0)).toBe('$0.00');
  });

  it('refuses NaN and infinity instead of printing them', () => {
    expect(() => formatUsd(Number.NaN)).toThrow(RangeError);
    expect(() => formatUsd(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('formatUsdCompact', () => {
  it.each([
    [15.4e9, '$15.4 billion'],
    [1e9, '$1 billion'],
    [238e6, '$238 million'],
    [238.4e6, '$238 million'],
    [12.345e6, '$12.3 million'],
    [2.1e12, '$2.1 trillion'],
    [-1.23e9, '-$1.2 billion'],
    [950_000, '$950,000'],
  ])('%d -> %s', (n, expected) => {
    expect(formatUsdCompact(n)).toBe(expected);
  });

  it('moves up a unit instead of printing "1000 million"', () => {
    expect(formatUsdCompact(999.6e6)).toBe('$1 billion');
    expect(formatUsdCompact(999_999.7)).toBe('$1 million');
  });
});

describe('percentages', () => {
  it('signs changes explicitly and rounds to one decimal', () => {
    expect(formatPct(-2.31)).toBe('-2.3%');
    expect(formatPct(1.2)).toBe('+1.2%');
    expect(formatPct(0.04)).toBe('0.0%');
    expect(formatPct(-0.04)).toBe('0.0%');
  });

  it('prints levels (rates, yields) with two decimals and no plus sign', () => {
    expect(formatPctLevel(4.3333)).toBe('4.33%');
    expect(formatPctLevel(3.88)).toBe('3.88%');
    expect(formatPctLevel(4)).toBe('4.00%');
    expect(formatPctLevel(-0.25)).toBe('-0.25%');
  });

  it('prints the size of a move without a sign, for "falls 4.1%"', () => {
    expect(formatPctMove(-4.12)).toBe('4.1%');
    expect(formatPctMove(3.45)).toBe('3.5%');
  });
});

describe('formatUsdMillions', () => {
  it('prints ETF flows in millions with one decimal and a minus for outflows', () => {
    expect(formatUsdMillions(-123.4)).toBe('-$123.4 million');
    expect(formatUsdMillions(128.7)).toBe('$128.7 million');
    expect(formatUsdMillions(1234.56)).toBe('$1,234.6 million');
    expect(formatUsdMillions(-0.01)).toBe('$0.0 million');
  });
});

describe('formatProbability and formatIndex', () => {
  it('prints probabilities as whole percentages, clamped to 0-100', () => {
    expect(formatProbability(0.87)).toBe('87%');
    expect(formatProbability(0.835)).toBe('84%');
    expect(formatProbability(0)).toBe('0%');
    expect(formatProbability(1.2)).toBe('100%');
  });

  it('prints an index as a whole number', () => {
    expect(formatIndex(28)).toBe('28');
    expect(formatIndex(27.6)).toBe('28');
  });
});
