/**
 * Feed dates to ISO 8601 (UTC). RSS uses RFC 822 ("Wed, 17 Jan 2018 15:50:00 EST", often
 * with two-digit years or "1500" for the time), Atom and Dublin Core use ISO 8601.
 */

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

/** Zone abbreviations seen in feeds, in minutes east of UTC. Unknown ones count as UTC (RFC 2822 4.3). */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0, BST: 60, CET: 60, MET: 60, CEST: 120, MEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  IST: 330, SGT: 480, HKT: 480, JST: 540, KST: 540, AEST: 600, AEDT: 660, ACST: 570, AWST: 480, NZST: 720, NZDT: 780,
};

function offsetMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3] ?? 0);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONES[zone.toUpperCase()] ?? 0;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offset * 60_000;
  const date = new Date(t);
  // Reject dates that rolled over (31 Feb) and years no feed means.
  if (Number.isNaN(t) || new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d || y < 1900 || y > 2200) return null;
  return date.toISOString();
}

const RFC822 =
  /^(?:[A-Za-z]{2,}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,})\.?[\s-]+(\d{2,4})(?:,?\s+(?:(\d{1,2}):(\d{2})(?::(\d{2}))?|(\d{2})(\d{2})))?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?/;
const ISO8601 = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * @example parseFeedDate('Thu, 07 Dec 17 10:00:29 -0800') // "2017-12-07T18:00:29.000Z"
 */
export function parseFeedDate(raw: string | null | undefined): string | null {
  const s = raw?.trim();
  if (!s) return null;
  const iso = ISO8601.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return build(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), Math.min(ms, 999), offsetMinutes(zone));
  }
  const rfc = RFC822.exec(s);
  const month = rfc ? MONTHS[rfc[2]!.slice(0, 3).toLowerCase()] : undefined;
  if (rfc && month) {
    const [, d, , yRaw, h1, mi1, sec, h2, mi2, zone] = rfc;
    let y = Number(yRaw);
    if (yRaw!.length <= 2) y += y < 50 ? 2000 : 1900;
    return build(y, month, Number(d), Number(h1 ?? h2 ?? 0), Number(mi1 ?? mi2 ?? 0), Number(sec ?? 0), 0, offsetMinutes(zone));
  }
  // Last resort for shapes like "January 5, 2024 10:00 AM".
  const t = Date.parse(s);
  if (Number.isNaN(t)) return null;
  const date = new Date(t);
  const year = date.getUTCFullYear();
  return year < 1900 || year > 2200 ? null : date.toISOString();
}
