/**
 * The brief's number style. Every number a writer prints goes through one of these, so the
 * grounding checker only has to recognise the shapes listed here. All functions are pure,
 * locale-independent (grouping is done by hand, always "," thousands and "." decimals) and
 * throw a RangeError for NaN or infinite input (callers pass zod-checked numbers).
 *
 * Output grammar (`d` = digit, `G` = digits grouped in threes with ","):
 *
 * | function            | shape                                   | examples                              |
 * |---------------------|-----------------------------------------|---------------------------------------|
 * | formatUsd           | `-?$G` (abs >= 1000, integer)           | "$3,000", "$91,235", "-$1,204"        |
 * |                     | `-?$d+.dd` (1 <= abs < 1000, 2 decimals)| "$2.18", "$874.32"                    |
 * |                     | `-?$0.d+` (abs < 1, 4 significant, >= 2 decimals) | "$0.5123", "$0.50", "$0.00001234" |
 * | formatUsdCompact    | `-?$d+(.d)? (million|billion|trillion)` | "$15.4 billion", "$1 billion", "$238 million" |
 * |                     | below 1 million: formatUsd              | "$950,000"                            |
 * | formatPct           | `[+-]?d+.d%` (sign unless it rounds to 0) | "-2.3%", "+1.2%", "0.0%"            |
 * | formatPctMove       | `d+.d%` (size of a move, sign in words) | "4.1%" in "BTC falls 4.1%"           |
 * | formatPctLevel      | `d+.dd%` (no sign unless negative)      | "4.33%", "3.88%", "4.00%"             |
 * | formatUsdMillions   | `-?$G.d million` (1 decimal)            | "-$123.4 million", "$128.7 million"   |
 * | formatProbability   | `d+%` (0-100, integer)                  | "87%", "0%", "100%"                   |
 * | formatIndex         | `d+` (integer)                          | "28"                                  |
 */

function assertFinite(n: number, fn: string): void {
  if (!Number.isFinite(n)) throw new RangeError(`${fn}: expected a finite number, got ${n}`);
}

/** "1234567.5" -> "1,234,567.5"; the input is an unsigned decimal string. */
function group(unsigned: string): string {
  const [int = '0', frac] = unsigned.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Avoids "-0" and "-$0.00": a value that rounds to zero is printed unsigned. */
function signOf(n: number, shown: string): string {
  return n < 0 && /[1-9]/.test(shown) ? '-' : '';
}

function usdDigits(abs: number): string {
  if (Math.round(abs * 100) / 100 >= 1000) return group(Math.round(abs).toFixed(0));
  if (abs >= 1 || Number(abs.toPrecision(4)) >= 1) return abs.toFixed(2);
  if (abs === 0) return '0.00';
  // 4 significant digits, trailing zeros cut but at least 2 decimals ("0.50", "0.5123").
  const fixed = abs.toFixed(Math.min(20, Math.max(2, 3 - Math.floor(Math.log10(abs)))));
  const trimmed = fixed.replace(/0+$/, '');
  const decimals = trimmed.split('.')[1]?.length ?? 0;
  return decimals < 2 ? abs.toFixed(2) : trimmed;
}

/**
 * A US dollar price: whole dollars from $1,000, cents below, 4 significant digits below $1.
 * @example formatUsd(91234.56) // "$91,235"
 * @example formatUsd(2.1849) // "$2.18"
 * @example formatUsd(0.51234) // "$0.5123"
 */
export function formatUsd(n: number): string {
  assertFinite(n, 'formatUsd');
  const digits = usdDigits(Math.abs(n));
  return `${signOf(n, digits)}$${digits}`;
}

const COMPACT_UNITS = [
  { size: 1e12, word: 'trillion' },
  { size: 1e9, word: 'billion' },
  { size: 1e6, word: 'million' },
] as const;

/** 15.43 -> "15.4", 1 -> "1", 238.4 -> "238" (one decimal below 100, none from 100). */
function compactNumber(x: number): string {
  return x >= 100 ? Math.round(x).toFixed(0) : (Math.round(x * 10) / 10).toString();
}

/**
 * A large dollar amount in words: one decimal below 100 units, none from 100, ".0" dropped.
 * Below one million it is `formatUsd`.
 * @example formatUsdCompact(15.4e9) // "$15.4 billion"
 * @example formatUsdCompact(238e6) // "$238 million"
 */
export function formatUsdCompact(n: number): string {
  assertFinite(n, 'formatUsdCompact');
  const abs = Math.abs(n);
  for (let i = 0; i < COMPACT_UNITS.length; i++) {
    const unit = COMPACT_UNITS[i]!;
    if (abs < unit.size) continue;
    const shown = compactNumber(abs / unit.size);
    const bigger = COMPACT_UNITS[i - 1];
    // 999.6 million rounds to "1000 million": say "$1 billion" instead.
    if (Number(shown) >= 1000 && bigger) return `${n < 0 ? '-' : ''}$${compactNumber(abs / bigger.size)} ${bigger.word}`;
    return `${n < 0 ? '-' : ''}$${group(shown)} ${unit.word}`;
  }
  // 999,999.99 would print "$1,000,000": show it as "$1 million".
  if (Math.round(abs) >= 1e6) return `${n < 0 ? '-' : ''}$1 million`;
  return formatUsd(n);
}

/**
 * A change in percent with an explicit sign and one decimal; 0.0 has no sign.
 * @example formatPct(-2.31) // "-2.3%"
 * @example formatPct(1.2) // "+1.2%"
 */
export function formatPct(n: number): string {
  assertFinite(n, 'formatPct');
  const digits = Math.abs(n).toFixed(1);
  if (!/[1-9]/.test(digits)) return `${digits}%`;
  return `${n < 0 ? '-' : '+'}${digits}%`;
}

/**
 * The size of a move in percent, one decimal, no sign (the sentence says "rises"/"falls").
 * @example formatPctMove(-4.12) // "4.1%"
 */
export function formatPctMove(n: number): string {
  assertFinite(n, 'formatPctMove');
  return `${Math.abs(n).toFixed(1)}%`;
}

/**
 * A level in percent (a rate, a yield): two decimals, no plus sign.
 * @example formatPctLevel(4.3333) // "4.33%"
 */
export function formatPctLevel(n: number): string {
  assertFinite(n, 'formatPctLevel');
  const digits = Math.abs(n).toFixed(2);
  return `${signOf(n, digits)}${digits}%`;
}

/**
 * An amount given in millions of US dollars (ETF flows), one decimal, minus for outflows.
 * @example formatUsdMillions(-123.4) // "-$123.4 million"
 * @example formatUsdMillions(1234.56) // "$1,234.6 million"
 */
export function formatUsdMillions(n: number): string {
  assertFinite(n, 'formatUsdMillions');
  const digits = Math.abs(n).toFixed(1);
  return `${signOf(n, digits)}$${group(digits)} million`;
}

/**
 * A probability 0-1 as a whole percentage, clamped to 0-100.
 * @example formatProbability(0.87) // "87%"
 */
export function formatProbability(p: number): string {
  assertFinite(p, 'formatProbability');
  const pct = Math.round(Math.min(1, Math.max(0, p)) * 100);
  return `${pct}%`;
}

/**
 * An index value (Fear & Greed) as a whole number.
 * @example formatIndex(28.4) // "28"
 */
export function formatIndex(n: number): string {
  assertFinite(n, 'formatIndex');
  const r = Math.round(n);
  return String(Object.is(r, -0) ? 0 : r);
}
