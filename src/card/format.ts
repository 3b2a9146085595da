/** Numbers as the card prints them: short, signed, tabular-friendly. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "$91,235", "$3,012.41", "$2.1849": more decimals for smaller prices. */
export function formatPrice(usd: number): string {
  const digits = usd >= 10_000 ? 0 : usd >= 100 ? 2 : usd >= 1 ? 4 : 6;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** "+1.64%", "−0.84%" (a real minus sign), "0.00%". */
export function formatChange(pct: number): string {
  const sign = pct > 0 ? '+' : pct < 0 ? '\u2212' : '';
  return `${sign}${Math.abs(pct).toFixed(2)}%`;
}

/** "+$128.7M", "−$903.2M". */
export function formatFlow(usdM: number): string {
  const sign = usdM > 0 ? '+' : usdM < 0 ? '\u2212' : '';
  const abs = Math.abs(usdM);
  return abs >= 1000 ? `${sign}$${(abs / 1000).toFixed(2)}B` : `${sign}$${abs.toFixed(1)}M`;
}

/** "Thursday, 27 Nov 2025 · 06:30 UTC" (UTC, so the same snapshot reads the same everywhere). */
export function formatCardDate(iso: string): string {
  const d = new Date(iso);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} · ${hh}:${mm} UTC`;
}

/** "Nov 26" for a YYYY-MM-DD session. */
export function formatSession(date: string): string {
  const [, m, d] = date.split('-');
  return `${MONTHS[Number(m) - 1]} ${Number(d)}`;
}
