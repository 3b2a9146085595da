/**
 * Chinese numbers for the grounding check and the zh writer: full-width digits, Chinese
 * numerals before a unit ("三千万美元", "两亿"), "百分之三" and "25个基点" are rewritten to the
 * digit forms numbers.ts reads; amounts are written the Chinese way (9万美元, 15.4亿美元).
 */
import { extractNumbers, type NumberMention } from './numbers.ts';

const DIGIT: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const SMALL_UNIT: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const NUMERAL = '[零〇一二两三四五六七八九十百千]+';
/** What may follow a Chinese numeral for it to be a figure: a scale, a unit or a counter. */
const AFTER = '(?=[万亿]|美元|个基点|个百分点|%|倍|枚|点|个|家|次|位|笔)';

/**
 * The value of a Chinese numeral below 10,000 ("三千五百" = 3500, "十五" = 15, "二十" = 20).
 * @example chineseNumeralValue('三千五百') // => 3500
 */
export function chineseNumeralValue(numeral: string): number | null {
  let total = 0;
  let digit: number | null = null;
  for (const ch of numeral) {
    if (ch in DIGIT) {
      digit = DIGIT[ch]!;
      continue;
    }
    const unit = SMALL_UNIT[ch];
    if (unit === undefined) return null;
    total += (digit ?? 1) * unit;
    digit = null;
  }
  return total + (digit ?? 0);
}

/**
 * Rewrites a Chinese text so numbers.ts reads every figure in it: full-width digits and signs
 * to ASCII (NFKC), "百分之三" to "3%", a numeral before a unit to digits ("两亿" -> "2亿").
 * The rest of the text is unchanged.
 * @example normalizeZhNumbers('降息概率为百分之六十，规模两亿美元') // => '降息概率为60%，规模2亿美元'
 */
export function normalizeZhNumbers(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/(\d)\s*．\s*(\d)/gu, '$1.$2')
    .replace(new RegExp(`百分之(${NUMERAL}|\\d+(?:\\.\\d+)?)(?:点(${NUMERAL}))?`, 'gu'), (whole, n: string, frac?: string) => {
      const value = /\d/u.test(n) ? Number(n) : chineseNumeralValue(n);
      if (value === null) return whole;
      const decimals = frac ? [...frac].map((c) => DIGIT[c] ?? '').join('') : '';
      return decimals ? `${value}.${decimals}%` : `${value}%`;
    })
    .replace(new RegExp(`(?<![\\d.])(${NUMERAL})${AFTER}`, 'gu'), (whole, n: string) => {
      // "一" alone before 个/位 is an article ("一位巨鲸"), not a figure.
      if (/^[一两]$/u.test(n) && !/[万亿]/u.test(text)) return whole;
      const value = chineseNumeralValue(n);
      return value === null ? whole : String(value);
    });
}

/**
 * The numbers a Chinese (or mixed) sentence claims, as numbers.ts describes them. Offsets are
 * in the normalised text.
 * @example extractNumbersZh('以太坊ETF净流入１５．４亿美元')[0].value // => 1540000000
 */
export function extractNumbersZh(text: string): NumberMention[] {
  return extractNumbers(normalizeZhNumbers(text));
}

const trim = (n: number, digits: number): string => String(Number(n.toFixed(digits)));

/**
 * A dollar amount the Chinese way: 亿 from 100 million, 万 from 10,000, digits below.
 * @example formatZhUsd(1_540_000_000) // => '15.4亿美元'
 * @example formatZhUsd(90_000)        // => '9万美元'
 * @example formatZhUsd(3_215.5)       // => '3,216美元'
 */
export function formatZhUsd(amount: number, digits = 2): string {
  const abs = Math.abs(amount);
  const sign = amount < 0 ? '-' : '';
  if (abs >= 1e8) return `${sign}${trim(abs / 1e8, digits)}亿美元`;
  if (abs >= 1e4) return `${sign}${trim(abs / 1e4, digits)}万美元`;
  if (abs >= 100) return `${sign}${Math.round(abs).toLocaleString('en-US')}美元`;
  return `${sign}${trim(abs, abs >= 1 ? 2 : 4)}美元`;
}

/**
 * A price as a Chinese brief writes it: whole dollars with separators above 1,000 ("91,234美元"),
 * cents below.
 * @example formatZhPrice(91234.4) // => '91,234美元'
 */
export function formatZhPrice(price: number): string {
  if (price >= 1000) return `${Math.round(price).toLocaleString('en-US')}美元`;
  if (price >= 1) return `${trim(price, 2)}美元`;
  return `${trim(price, 4)}美元`;
}

/** A 24h move: "上涨2.3%" / "下跌1.1%" / "持平". */
export function formatZhChange(pct: number): string {
  const shown = Math.abs(pct).toFixed(1);
  if (shown === '0.0') return '基本持平';
  return `${pct > 0 ? '上涨' : '下跌'}${shown}%`;
}
