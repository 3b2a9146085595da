/**
 * FOMC odds from Polymarket's keyless Gamma API. A Fed decision is listed as an event of
 * Yes/No markets, one per bracket ("Fed decreases interest rates by 25 bps after December
 * 2025 meeting?", `groupItemTitle: "25 bps decrease"`), with `outcomes` and `outcomePrices`
 * as JSON-encoded string arrays. We take the nearest upcoming meeting's open markets and report
 * the bracket with the highest probability, valid until the market's end (the decision).
 */
import { z } from 'zod';
import type { Config } from '../config.ts';
import { INDICATOR_IDS, type Indicator } from '../domain.ts';
import { SchemaError } from '../errors.ts';
import { getJson, numeric } from './http-get.ts';
import type { Source } from './types.ts';

/** Gamma sends these arrays as JSON text (`"[\"Yes\", \"No\"]"`); accept real arrays too. */
const jsonArray = <T extends z.ZodType>(item: T) =>
  z.union([
    z.array(item),
    z.string().transform((s, zctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        zctx.addIssue({ code: 'custom', message: 'not a JSON array' });
        return z.NEVER;
      }
    }).pipe(z.array(item)),
  ]);

const MarketSchema = z.object({
  question: z.string().min(1),
  outcomes: z.unknown(),
  outcomePrices: z.unknown(),
  endDate: z.string().optional().nullable(),
  /** A resolved or halted market: its prices no longer say anything about the decision. */
  closed: z.boolean().optional().nullable(),
  volume: z.unknown().optional(),
  groupItemTitle: z.string().optional().nullable(),
  events: z.array(z.object({ title: z.string().optional().nullable() })).optional().nullable(),
});
const MarketsSchema = z.array(MarketSchema);
type RawMarket = z.infer<typeof MarketSchema>;

const PricesSchema = jsonArray(numeric.pipe(z.number().min(0).max(1)));
const OutcomesSchema = jsonArray(z.string());

interface Candidate {
  /** When the market ends: the decision, after which the odds are no figure for today. */
  endsAt: string;
  outcome: string;
  probability: number;
  question: string;
  volume: number;
}

/** Results per page asked for; FOMC brackets trade heavily, so they sit near the top by volume. */
const PAGE = 300;
/** Markets ending this close to the nearest one belong to the same meeting. */
const SAME_MEETING_MS = 48 * 3600_000;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const DECISION_WORDS = /\b(rates?|decision|fomc|interest)\b/i;
const MEETING_WORDS = /\b(meeting|decision|fomc)\b/i;

/** True for a market about a Fed rate decision at a meeting (not "emergency cut in 2025?"). */
export function isFomcDecision(text: string, match: string): boolean {
  const words = match.split(/\s+/).filter(Boolean);
  const matches = words.every((w) => new RegExp(`\\b${escapeRe(w)}`, 'i').test(text));
  return matches && DECISION_WORDS.test(text) && MEETING_WORDS.test(text);
}

function candidatesOf(m: RawMarket, endsAt: string): Candidate[] {
  const outcomes = OutcomesSchema.safeParse(m.outcomes);
  const prices = PricesSchema.safeParse(m.outcomePrices);
  if (!outcomes.success || !prices.success || outcomes.data.length !== prices.data.length) return [];
  const volume = numeric.safeParse(m.volume);
  const base = { question: m.question, volume: volume.success ? volume.data : 0, endsAt };
  const yes = outcomes.data.findIndex((o) => o.toLowerCase() === 'yes');
  if (outcomes.data.length === 2 && yes >= 0) {
    // A bracket of a grouped event: its Yes price is that bracket's probability.
    return [{ ...base, outcome: m.groupItemTitle?.trim() || m.question, probability: prices.data[yes]! }];
  }
  return outcomes.data.map((outcome, i) => ({ ...base, outcome, probability: prices.data[i]! }));
}

/**
 * Picks the leading outcome of the nearest upcoming FOMC decision among Gamma markets.
 * @example pickFomcOdds(markets, 'Fed', new Date()) // { outcome: '25 bps decrease', probability: 0.94, ... }
 */
export function pickFomcOdds(markets: readonly RawMarket[], match: string, now: Date): Candidate | null {
  const upcoming = markets
    .map((m) => ({ m, end: m.endDate ? Date.parse(m.endDate) : Number.NaN }))
    .filter(({ m, end }) => {
      const text = [m.question, m.groupItemTitle ?? '', ...(m.events ?? []).map((e) => e.title ?? '')].join(' ');
      return m.closed !== true && Number.isFinite(end) && end > now.getTime() && isFomcDecision(text, match);
    });
  if (upcoming.length === 0) return null;
  const nearest = Math.min(...upcoming.map((u) => u.end));
  const meeting = upcoming.filter((u) => u.end - nearest <= SAME_MEETING_MS).flatMap((u) => candidatesOf(u.m, new Date(u.end).toISOString()));
  if (meeting.length === 0) throw new SchemaError('Polymarket', 'FOMC markets without readable outcomes/outcomePrices');
  meeting.sort((a, b) => b.probability - a.probability || b.volume - a.volume);
  return meeting[0]!;
}

/**
 * @example const src = polymarketSource(config.sources.polymarket);
 */
export function polymarketSource(cfg: Pick<Config['sources']['polymarket'], 'url' | 'match'>): Source {
  return {
    id: 'polymarket',
    async run(ctx) {
      const now = ctx.now();
      const query = new URLSearchParams({
        active: 'true',
        closed: 'false',
        limit: String(PAGE),
        order: 'volume24hr',
        ascending: 'false',
        end_date_min: now.toISOString(),
      });
      const markets = await getJson(ctx, `${cfg.url.replace(/\/+$/, '')}/markets?${query}`, MarketsSchema, 'Polymarket');
      const best = pickFomcOdds(markets, cfg.match, now);
      if (!best) {
        if (markets.length === 0) throw new SchemaError('Polymarket', 'no active markets');
        throw new Error(`no upcoming FOMC decision market matching "${cfg.match}" among ${markets.length} markets`);
      }
      const indicator: Indicator = {
        id: INDICATOR_IDS.fomcOdds,
        label: 'FOMC odds (Polymarket)',
        value: best.probability,
        unit: 'probability',
        previous: null,
        classification: best.outcome,
        detail: best.question,
        source: 'polymarket',
        asOf: now.toISOString(),
        validUntil: best.endsAt,
      };
      return { indicators: [indicator] };
    },
  };
}
