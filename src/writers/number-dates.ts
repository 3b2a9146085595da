/**
 * Dates, months, years and times of day as a sentence writes them ("December 10, 2025",
 * "10 Dec", "2025-12-10", "12月10日", "14:30"), for numbers.ts: found before plain numbers so
 * their digits are not read twice.
 */

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};
const MONTH_WORD = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

interface DatePattern {
  re: RegExp;
  read(m: RegExpExecArray): { kind: 'date' | 'month' | 'year' | 'time'; value: number; year?: number } | null;
}

const monthOf = (word: string): number => MONTHS[word.toLowerCase().replace(/\.$/, '')] ?? 0;
const validDay = (month: number, day: number) => month >= 1 && month <= 12 && day >= 1 && day <= 31;

/** Dates and times, found before plain numbers so their digits are not read twice. */
export const DATE_PATTERNS: DatePattern[] = [
  {
    // 2025-12-10 (optionally with a time, which we read separately)
    re: /(?<![\d])(\d{4})-(\d{2})-(\d{2})(?![\d])/g,
    read: (m) => dateOf(Number(m[2]), Number(m[3]), Number(m[1])),
  },
  {
    // 2025年12月10日, 12月10日, 12月10号
    re: /(?:(\d{4})\s?年\s?)?(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]/g,
    read: (m) => dateOf(Number(m[2]), Number(m[3]), m[1] ? Number(m[1]) : undefined),
  },
  {
    // 2025年12月, 12月 (a month on its own, e.g. "12月议息会议")
    re: /(?:(\d{4})\s?年\s?)?(?<!\d)(\d{1,2})\s?月(?!\s?\d)/g,
    read: (m) => {
      const month = Number(m[2]);
      if (month < 1 || month > 12) return null;
      return m[1] ? { kind: 'month', value: month, year: Number(m[1]) } : { kind: 'month', value: month };
    },
  },
  {
    // December 10, Dec. 10th, December 10, 2025
    re: new RegExp(`\\b${MONTH_WORD}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:])(?:,?\\s+(\\d{4})(?!\\d))?`, 'g'),
    read: (m) => dateOf(monthOf(m[1]!), Number(m[2]), m[3] ? Number(m[3]) : undefined),
  },
  {
    // 10 December, 10th Dec 2025
    re: new RegExp(`(?<![\\d.,$])\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_WORD}\\b\\.?(?:,?\\s+(\\d{4})(?!\\d))?`, 'g'),
    read: (m) => dateOf(monthOf(m[2]!), Number(m[1]), m[3] ? Number(m[3]) : undefined),
  },
  {
    // 2025年 (a year in CJK text)
    re: /(?<!\d)(\d{4})\s?年/g,
    read: (m) => ({ kind: 'year', value: Number(m[1]) }),
  },
  {
    // 14:30, 08:00 UTC
    re: /(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])/g,
    read: (m) => ({ kind: 'time', value: Number(m[1]) * 60 + Number(m[2]) }),
  },
];

function dateOf(month: number, day: number, year?: number) {
  if (!validDay(month, day)) return null;
  return year === undefined ? { kind: 'date' as const, value: month * 100 + day } : { kind: 'date' as const, value: month * 100 + day, year };
}
