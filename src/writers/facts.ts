/**
 * What the snapshot supports: every quote's and indicator's numbers with the ways they may be
 * written (a rate as %, its change in bps, odds as %, ETF flows in dollars), each marked stale
 * when past its freshness rule, and the calendar (dates, months, years, times) the data is about.
 */
import type { Indicator } from '../domain.ts';
import { DEFAULT_FRESHNESS, dayLabel, judgeFreshness } from './freshness.ts';
import type { NumberKind } from './numbers.ts';
import type { WriterInput } from './types.ts';

/** A number the snapshot supports, with the ways it may be written. */
export interface Fact {
  key: string;
  value: number;
  kinds: readonly NumberKind[];
  /** Set when the figure is past its freshness rule: its day ("20 Nov") and month*100+day, which the sentence must give. */
  stale?: { label: string; date: number };
}

const MONEY: NumberKind[] = ['usd', 'plain'];
/** Percentages are always written with "%": a bare "3" is a count, not ETH's +3.4%. */
const PCT: NumberKind[] = ['percent'];
const INDEX: NumberKind[] = ['plain'];

function indicatorFacts(ind: Indicator): Fact[] {
  const out: Fact[] = [];
  const add = (suffix: string, value: number, kinds: NumberKind[]) => out.push({ key: `indicator:${ind.id}:${suffix}`, value, kinds });
  const change = ind.previous === null ? null : ind.value - ind.previous;
  switch (ind.unit) {
    case 'index':
      add('value', ind.value, INDEX);
      if (ind.previous !== null) add('previous', ind.previous, INDEX);
      if (change !== null) add('change', change, INDEX);
      break;
    case 'percent':
      add('value', ind.value, PCT);
      if (ind.previous !== null) add('previous', ind.previous, PCT);
      if (change !== null) {
        add('change', change, PCT);
        add('change-bps', change * 100, ['bps']);
      }
      break;
    case 'probability':
      add('value', ind.value * 100, PCT);
      if (ind.previous !== null) add('previous', ind.previous * 100, PCT);
      // "odds rose 6 points" as well as "6%"
      if (change !== null) add('change', change * 100, ['percent', 'plain']);
      break;
    case 'usd_millions':
      add('value', ind.value * 1e6, MONEY);
      add('value-millions', ind.value, INDEX);
      if (ind.previous !== null) add('previous', ind.previous * 1e6, MONEY);
      if (change !== null) add('change', change * 1e6, MONEY);
      break;
  }
  return out;
}

/**
 * The numbers the snapshot supports: quotes (price, 24h change, volume, market cap) and
 * indicators with their previous values and changes (F&G points, rate changes in bps,
 * probabilities as %, ETF flows in dollars).
 * @example collectFacts(input).find((f) => f.key === 'quote:ethereum:price')
 */
export function collectFacts(input: WriterInput): Fact[] {
  const facts: Fact[] = [];
  const { stale } = judgeFreshness(input.snapshot, input.freshness ?? DEFAULT_FRESHNESS);
  const staleOf = (kind: 'quote' | 'indicator', id: string) => {
    const f = stale.find((x) => x.kind === kind && x.id === id);
    if (!f) return undefined;
    const d = new Date(f.asOf);
    return { label: dayLabel(f.asOf, input.snapshot.takenAt), date: (d.getUTCMonth() + 1) * 100 + d.getUTCDate() };
  };
  const mark = (from: number, info: Fact['stale']) => {
    if (info) for (const f of facts.slice(from)) f.stale = info;
  };
  for (const q of input.snapshot.quotes) {
    const first = facts.length;
    const key = `quote:${q.asset}`;
    facts.push({ key: `${key}:price`, value: q.priceUsd, kinds: MONEY });
    if (q.change24hPct !== null) facts.push({ key: `${key}:change`, value: q.change24hPct, kinds: PCT });
    if (q.volume24hUsd !== null) facts.push({ key: `${key}:volume`, value: q.volume24hUsd, kinds: MONEY });
    if (q.marketCapUsd !== null) facts.push({ key: `${key}:mcap`, value: q.marketCapUsd, kinds: MONEY });
    mark(first, staleOf('quote', q.asset));
  }
  for (const ind of input.snapshot.indicators) {
    const first = facts.length;
    facts.push(...indicatorFacts(ind));
    mark(first, staleOf('indicator', ind.id));
  }
  return facts;
}

const DAY_MS = 86_400_000;

/**
 * Dates, months and years the data is about: every timestamp, give or take a day (time zones),
 * and the UTC times of day the prompt shows ("gathered at 06:30 UTC").
 */
export function calendarFacts(input: WriterInput): { dates: Set<number>; months: Set<number>; years: Set<number>; times: Set<number> } {
  const stamps: string[] = [input.snapshot.takenAt];
  for (const q of input.snapshot.quotes) stamps.push(q.asOf);
  for (const i of input.snapshot.indicators) stamps.push(i.asOf);
  for (const s of input.stories) {
    if (s.publishedAt) stamps.push(s.publishedAt);
    for (const src of s.sources) if (src.publishedAt) stamps.push(src.publishedAt);
  }
  const dates = new Set<number>();
  const months = new Set<number>();
  const years = new Set<number>();
  const times = new Set<number>();
  for (const stamp of stamps) {
    const t = Date.parse(stamp);
    if (Number.isNaN(t)) continue;
    const at = new Date(t);
    times.add(at.getUTCHours() * 60 + at.getUTCMinutes());
    for (const shift of [-DAY_MS, 0, DAY_MS]) {
      const d = new Date(t + shift);
      dates.add((d.getUTCMonth() + 1) * 100 + d.getUTCDate());
      months.add(d.getUTCMonth() + 1);
      years.add(d.getUTCFullYear());
    }
  }
  return { dates, months, years, times };
}
