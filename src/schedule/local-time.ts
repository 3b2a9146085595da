/**
 * Wall-clock arithmetic in IANA time zones with Intl only: the local date of an instant, and
 * the instant a local "HH:MM" happens on a local date, including the days daylight-saving
 * time skips or repeats an hour.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for names Intl accepts ("Europe/Berlin", "UTC", "Etc/GMT-3"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +7_200_000). */
export function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(new Date(instant), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** "2026-03-08" for an instant in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The calendar day before or after a "YYYY-MM-DD". */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The instant local time `hhmm` happens on local `date` in `timeZone`. A time that happens
 * twice (fall back) resolves to its first occurrence; a time that does not exist (spring
 * forward) resolves to the same distance past the gap, e.g. 02:30 -> 03:30 new time, which
 * is what a person who set an alarm for 02:30 would expect.
 * @example localTimeToInstant('2026-03-08', '02:30', 'America/New_York') // 07:30 UTC (03:30 EDT)
 */
export function localTimeToInstant(date: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const day = 24 * 3600 * 1000;
  const before = offsetMs(wall - day, timeZone);
  const after = offsetMs(wall + day, timeZone);
  const valid = [...new Set([before, after])]
    .map((o) => wall - o)
    .filter((t) => offsetMs(t, timeZone) === wall - t)
    .sort((a, b) => a - b);
  if (valid.length > 0) return new Date(valid[0]!);
  // In the gap: keep the offset from before the jump, which lands past it.
  return new Date(wall - before);
}

/** Accepts "Area/City" (IANA), "UTC", or a whole-hour offset like "+03:00", "UTC-5"; returns a zone Intl understands. */
export function parseTimeZone(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  const offset = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(text);
  if (offset) {
    const sign = offset[1] === '-' ? '-' : '+';
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? '0');
    // Intl on Node 20 knows whole-hour offsets only as Etc/GMT zones, whose sign is inverted.
    if (hours > 14 || minutes !== 0) return null;
    if (hours === 0) return 'UTC';
    return `Etc/GMT${sign === '+' ? '-' : '+'}${hours}`;
  }
  if (/^(UTC|GMT|Z)$/i.test(text)) return 'UTC';
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(text)) return null;
  if (!isValidTimeZone(text)) return null;
  // Canonical spelling (e.g. "europe/berlin" -> "Europe/Berlin").
  return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
}

/** "HH:MM" 00:00-23:59, also "7:30"; returns the normalised "07:30" or null. */
export function parseTime(input: string): string | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(input.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null;
}
