/**
 * FRED's keyless CSV export (`fredgraph.csv?id=DFF`): the effective fed funds rate and the
 * 10-year Treasury yield. "." marks a day without a value (weekends, holidays). One source
 * with two series: if one fails, the other still counts and the failure becomes a warning.
 */
import { z } from 'zod';
import type { Config } from '../config.ts';
import { INDICATOR_IDS, type Indicator } from '../domain.ts';
import { SchemaError, describeError } from '../errors.ts';
import { getText } from './http-get.ts';
import type { Source, SourceContext } from './types.ts';

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const ValueSchema = z.union([z.literal('.'), z.literal(''), z.coerce.number<string>().refine(Number.isFinite)]);

export interface Observation {
  date: string;
  value: number;
}

/** How far back to ask, so the answer stays a few dozen lines instead of 70 years. */
const LOOKBACK_DAYS = 45;

/**
 * Parses FRED's two-column CSV, skipping missing values; oldest first.
 * @example parseFredCsv('observation_date,DFF\n2025-01-02,4.33\n2025-01-03,.\n', 'DFF')
 */
export function parseFredCsv(csv: string, series: string): Observation[] {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const header = lines[0]?.split(',') ?? [];
  if (header.length !== 2 || header[1]?.toUpperCase() !== series.toUpperCase()) {
    throw new SchemaError(`FRED ${series}`, `expected a CSV header "observation_date,${series}", got ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
  }
  const out: Observation[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    const [rawDate = '', rawValue = ''] = line.split(',');
    const date = DateSchema.safeParse(rawDate.trim());
    const value = ValueSchema.safeParse(rawValue.trim());
    if (!date.success || !value.success) {
      throw new SchemaError(`FRED ${series}`, `line ${i + 2} is not "date,value": ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (typeof value.data === 'number') out.push({ date: date.data, value: value.data });
  }
  out.sort((a, b) => a.date.localeCompare(b.date));
  return out;
}

interface SeriesSpec {
  series: string;
  id: string;
  label: string;
}

async function fetchSeries(ctx: SourceContext, baseUrl: string, spec: SeriesSpec): Promise<Indicator> {
  const since = new Date(ctx.now().getTime() - LOOKBACK_DAYS * 86_400_000).toISOString().slice(0, 10);
  const sep = baseUrl.includes('?') ? '&' : '?';
  const csv = await getText(ctx, `${baseUrl}${sep}id=${encodeURIComponent(spec.series)}&cosd=${since}`, { accept: 'text/csv' });
  const obs = parseFredCsv(csv, spec.series);
  const last = obs.at(-1);
  if (!last) throw new SchemaError(`FRED ${spec.series}`, 'no observations');
  return {
    id: spec.id,
    label: spec.label,
    value: last.value,
    unit: 'percent',
    previous: obs.at(-2)?.value ?? null,
    classification: null,
    detail: `FRED ${spec.series}`,
    source: 'fred',
    asOf: `${last.date}T00:00:00.000Z`,
  };
}

/**
 * @example const src = fredSource(config.sources.fred);
 */
export function fredSource(cfg: Pick<Config['sources']['fred'], 'url' | 'fedFundsSeries' | 'tenYearSeries'>): Source {
  const specs: SeriesSpec[] = [
    { series: cfg.fedFundsSeries, id: INDICATOR_IDS.fedFunds, label: 'Fed funds rate' },
    { series: cfg.tenYearSeries, id: INDICATOR_IDS.us10y, label: 'US 10-year Treasury yield' },
  ];
  return {
    id: 'fred',
    async run(ctx) {
      const results = await Promise.allSettled(specs.map((s) => fetchSeries(ctx, cfg.url, s)));
      const indicators: Indicator[] = [];
      const failures: string[] = [];
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') indicators.push(r.value);
        else failures.push(`${specs[i]!.series}: ${describeError(r.reason)}`);
      });
      if (indicators.length === 0) throw new Error(failures.join('; '));
      return { indicators, warning: failures.length > 0 ? failures.join('; ') : null };
    },
  };
}
