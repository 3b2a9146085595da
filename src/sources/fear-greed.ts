/**
 * alternative.me Crypto Fear & Greed Index: today's value and yesterday's, as strings in the
 * real API (`{ data: [{ value: "28", value_classification: "Fear", timestamp: "1733011200" }] }`).
 */
import { z } from 'zod';
import type { Config } from '../config.ts';
import { INDICATOR_IDS, type Indicator } from '../domain.ts';
import { SchemaError } from '../errors.ts';
import { getJson, numeric } from './http-get.ts';
import type { Source } from './types.ts';

const EntrySchema = z.object({
  value: numeric.pipe(z.number().min(0).max(100)),
  value_classification: z.string().min(1),
  /** Unix seconds. */
  timestamp: numeric,
});
const ResponseSchema = z.object({
  data: z.array(EntrySchema),
  metadata: z.object({ error: z.string().nullable().optional() }).optional(),
});

/**
 * @example const src = fearGreedSource(config.sources.fearGreed);
 */
export function fearGreedSource(cfg: Pick<Config['sources']['fearGreed'], 'url'>): Source {
  return {
    id: 'fear_greed',
    async run(ctx) {
      const sep = cfg.url.includes('?') ? '&' : '?';
      const body = await getJson(ctx, `${cfg.url}${sep}limit=30`, ResponseSchema, 'alternative.me');
      if (body.metadata?.error) throw new SchemaError('alternative.me', body.metadata.error);
      // Newest first in the real API; sort anyway so "previous" is always the older one.
      const newestFirst = [...body.data].sort((a, b) => b.timestamp - a.timestamp);
      const [today, yesterday] = newestFirst;
      if (!today) throw new SchemaError('alternative.me', 'no index values');
      const indicator: Indicator = {
        id: INDICATOR_IDS.fearGreed,
        label: 'Fear & Greed Index',
        value: today.value,
        unit: 'index',
        previous: yesterday?.value ?? null,
        classification: today.value_classification,
        detail: null,
        source: 'alternative.me',
        asOf: new Date(today.timestamp * 1000).toISOString(),
        // The last 30 readings (limit=30), for the card's gauge and trend.
        history: newestFirst
          .slice(0, 30)
          .reverse()
          .map((e) => ({ asOf: new Date(e.timestamp * 1000).toISOString(), value: e.value })),
      };
      return { indicators: [indicator] };
    },
  };
}
