import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/sources/feed/dates.ts';

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 03 Jun 2003 09:39:21 GMT', '2003-06-03T09:39:21.000Z'],
    ['Wed, 17 Jan 2018 15:50:00 EST', '2018-01-17T20:50:00.000Z'],
    ['Thu, 07 Dec 17 10:00:29 -0800', '2017-12-07T18:00:29.000Z'],
    ['Wed, 22 Jan 2014 20:31:31 +0600', '2014-01-22T14:31:31.000Z'],
    ['03 Apr 02 1500 GMT', '2002-04-03T15:00:00.000Z'],
    ['Mon, 1 Dec 2025 7:05 PDT', '2025-12-01T14:05:00.000Z'],
    ['Sat, 29 Nov 2025 08:00:00 +05:30', '2025-11-29T02:30:00.000Z'],
    ['2025-12-02T06:30:00Z', '2025-12-02T06:30:00.000Z'],
    ['2025-12-02T06:30:00.123456+02:00', '2025-12-02T04:30:00.123Z'],
    ['2025-12-02 06:30:00', '2025-12-02T06:30:00.000Z'],
    ['2025-12-02', '2025-12-02T00:00:00.000Z'],
  ])('%s -> %s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(iso);
  });

  it.each(['', '   ', 'yesterday', 'Tue, 31 Feb 2025 10:00:00 GMT', '2025-13-01T00:00:00Z', '0000-01-01'])('gives null for %j', (raw) => {
    expect(parseFeedDate(raw)).toBeNull();
  });
});
