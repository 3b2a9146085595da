import { describe, expect, it } from 'vitest';
import { addDays, localDate, localTimeToInstant, parseTime, parseTimeZone } from '../../src/schedule/local-time.ts';

describe('localTimeToInstant', () => {
  it('places an ordinary morning in five zones', () => {
    expect(localTimeToInstant('2026-06-10', '07:30', 'UTC').toISOString()).toBe('2026-06-10T07:30:00.000Z');
    expect(localTimeToInstant('2026-06-10', '07:30', 'Europe/Berlin').toISOString()).toBe('2026-06-10T05:30:00.000Z');
    expect(localTimeToInstant('2026-06-10', '07:30', 'America/New_York').toISOString()).toBe('2026-06-10T11:30:00.000Z');
    expect(localTimeToInstant('2026-06-10', '07:30', 'Asia/Tokyo').toISOString()).toBe('2026-06-09T22:30:00.000Z');
    expect(localTimeToInstant('2026-06-10', '07:30', 'Asia/Kolkata').toISOString()).toBe('2026-06-10T02:00:00.000Z');
  });

  it('moves a time that does not exist (spring forward) past the gap', () => {
    // New York jumps 02:00 EST -> 03:00 EDT on 2026-03-08: 02:30 becomes 03:30 EDT = 07:30Z.
    expect(localTimeToInstant('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    // Berlin jumps 02:00 CET -> 03:00 CEST on 2026-03-29: 02:30 becomes 03:30 CEST = 01:30Z.
    expect(localTimeToInstant('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first of a time that happens twice (fall back)', () => {
    // New York repeats 01:00-02:00 on 2026-11-01: 01:30 EDT = 05:30Z comes first.
    expect(localTimeToInstant('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Berlin repeats 02:00-03:00 on 2026-10-25: 02:30 CEST = 00:30Z comes first.
    expect(localTimeToInstant('2026-10-25', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('keeps the local date right across midnight and month ends', () => {
    expect(localDate(new Date('2026-06-09T22:30:00Z'), 'Asia/Tokyo')).toBe('2026-06-10');
    expect(localDate(new Date('2026-06-10T02:00:00Z'), 'America/Los_Angeles')).toBe('2026-06-09');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});

describe('parseTimeZone / parseTime', () => {
  it('accepts IANA names in any case and whole-hour UTC offsets', () => {
    expect(parseTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(parseTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(parseTimeZone('UTC')).toBe('UTC');
    expect(parseTimeZone('+03:00')).toBe('Etc/GMT-3');
    expect(parseTimeZone('UTC-5')).toBe('Etc/GMT+5');
    expect(localTimeToInstant('2026-06-10', '07:00', parseTimeZone('UTC+3')!).toISOString()).toBe('2026-06-10T04:00:00.000Z');
  });

  it('refuses what is not a zone', () => {
    for (const bad of ['Mars/Olympus', 'Berlin', '', '+25:00', 'UTC+5:17', 'Europe/Berlin; DROP TABLE']) {
      expect(parseTimeZone(bad)).toBeNull();
    }
  });

  it('accepts 00:00-23:59 only', () => {
    expect(parseTime('7:30')).toBe('07:30');
    expect(parseTime('23:59')).toBe('23:59');
    for (const bad of ['25:99', '24:00', '12:60', 'noon', '1230']) expect(parseTime(bad)).toBeNull();
  });
});
