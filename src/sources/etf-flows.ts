/**
 * Spot ETF net flows from Farside (`/btc/`, `/eth/`): an HTML table of daily flows in US$m,
 * one column per ETF and a Total column, negatives in parentheses, "-" for days not yet in.
 * The real site often sits behind a bot wall; that is reported as "blocked: ..." and this
 * source is allowed to fail.
 */
import { Parser } from 'htmlparser2';
import type { Config } from '../config.ts';
import { INDICATOR_IDS, type Indicator } from '../domain.ts';
import { HttpStatusError, SchemaError, describeError, redactUrl } from '../errors.ts';
import { getText } from './http-get.ts';
import type { Source, SourceContext } from './types.ts';

/** The site refused us (403, a Cloudflare challenge): not a bug in our parsing. */
export class BlockedError extends Error {
  override name = 'BlockedError';
  constructor(readonly url: string, reason: string) {
    super(`blocked: ${reason} (${redactUrl(url)})`);
  }
}

export interface DailyFlow {
  /** YYYY-MM-DD */
  date: string;
  /** Net flow across all ETFs in US$m (negative = outflow). */
  totalUsdM: number;
}

/** Every table in the page as rows of trimmed cell texts. */
export function htmlTables(html: string): string[][][] {
  const tables: string[][][] = [];
  const stack: string[][][] = [];
  let row: string[] | null = null;
  let cell: string | null = null;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'table') stack.push([]);
        else if (name === 'tr' && stack.length > 0) row = [];
        else if ((name === 'td' || name === 'th') && row) cell = '';
        else if (name === 'br' && cell !== null) cell += ' ';
      },
      ontext(text) {
        if (cell !== null) cell += text;
      },
      onclosetag(name) {
        if ((name === 'td' || name === 'th') && row && cell !== null) {
          row.push(cell.replace(/\s+/g, ' ').trim());
          cell = null;
        } else if (name === 'tr' && row) {
          stack.at(-1)?.push(row);
          row = null;
        } else if (name === 'table') {
          const done = stack.pop();
          if (done) tables.push(done);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return tables;
}

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06',
  jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

/** "03 Dec 2025" -> "2025-12-03"; null for "Total", "Average" and the like. */
export function parseFarsideDate(text: string): string | null {
  const m = /^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})$/.exec(text.trim());
  const month = m ? MONTHS[m[2]!.toLowerCase()] : undefined;
  if (!m || !month) return null;
  return `${m[3]}-${month}-${m[1]!.padStart(2, '0')}`;
}

/** "1,234.5" -> 1234.5, "(95.1)" -> -95.1, "-" / "" -> null. */
export function parseFlow(text: string): number | null {
  const t = text.replace(/[,\s$]/g, '');
  if (t === '' || /^[-–—]$/.test(t)) return null;
  const neg = /^\((.*)\)$/.exec(t);
  const n = Number(neg ? neg[1] : t);
  if (!Number.isFinite(n)) return null;
  return neg ? -n : n;
}

/**
 * The daily totals in a Farside flows page, oldest first.
 * @example parseFarsideFlows(html).at(-1) // { date: '2025-12-03', totalUsdM: -14.9 }
 */
export function parseFarsideFlows(html: string, what = 'Farside'): DailyFlow[] {
  for (const rows of htmlTables(html)) {
    const dated = rows.filter((r) => r[0] !== undefined && parseFarsideDate(r[0]) !== null);
    if (dated.length === 0) continue;
    const width = Math.max(...dated.map((r) => r.length));
    // The Total column: named in a header row as wide as the data rows, else the last one.
    const header = rows.find((r) => r.length === width && r.some((c) => /^total$/i.test(c)) && parseFarsideDate(r[0] ?? '') === null);
    const totalAt = header ? header.findIndex((c) => /^total$/i.test(c)) : width - 1;
    const flows: DailyFlow[] = [];
    for (const r of dated) {
      const total = r.length === width ? parseFlow(r[totalAt] ?? '') : null;
      if (total !== null) flows.push({ date: parseFarsideDate(r[0]!)!, totalUsdM: total });
    }
    if (flows.length === 0) continue;
    return flows.sort((a, b) => a.date.localeCompare(b.date));
  }
  throw new SchemaError(what, 'no table of daily flows with a Total column');
}

const CHALLENGE = /just a moment|cf-chl|challenge-platform|attention required|cf-browser-verification|captcha/i;

async function fetchPage(ctx: SourceContext, url: string): Promise<string> {
  let html: string;
  try {
    html = await getText(ctx, url, { accept: 'text/html' });
  } catch (err) {
    if (err instanceof HttpStatusError && (err.status === 403 || CHALLENGE.test(err.body))) {
      throw new BlockedError(url, `HTTP ${err.status}, bot wall`);
    }
    throw err;
  }
  if (CHALLENGE.test(html.slice(0, 20_000)) && !/<table/i.test(html)) throw new BlockedError(url, 'bot challenge page');
  return html;
}

interface FlowSpec {
  id: string;
  label: string;
  url: string;
}

async function fetchFlow(ctx: SourceContext, spec: FlowSpec): Promise<Indicator> {
  const flows = parseFarsideFlows(await fetchPage(ctx, spec.url), `Farside ${spec.url}`);
  const last = flows.at(-1)!;
  return {
    id: spec.id,
    label: spec.label,
    value: last.totalUsdM,
    unit: 'usd_millions',
    previous: flows.at(-2)?.totalUsdM ?? null,
    classification: null,
    detail: last.date,
    source: 'farside',
    asOf: `${last.date}T00:00:00.000Z`,
  };
}

/**
 * Bitcoin and Ether spot ETF net flows; one failing page leaves the other plus a warning.
 * @example const src = etfFlowsSource(config.sources.etfFlows);
 */
export function etfFlowsSource(cfg: Pick<Config['sources']['etfFlows'], 'btcUrl' | 'ethUrl'>): Source {
  const specs: FlowSpec[] = [
    { id: INDICATOR_IDS.etfFlowBtc, label: 'Bitcoin spot ETF net flow', url: cfg.btcUrl },
    { id: INDICATOR_IDS.etfFlowEth, label: 'Ether spot ETF net flow', url: cfg.ethUrl },
  ];
  return {
    id: 'etf_flows',
    async run(ctx) {
      const results = await Promise.allSettled(specs.map((s) => fetchFlow(ctx, s)));
      const indicators: Indicator[] = [];
      const failures: string[] = [];
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') indicators.push(r.value);
        else failures.push(`${specs[i]!.id === INDICATOR_IDS.etfFlowBtc ? 'BTC' : 'ETH'}: ${describeError(r.reason)}`);
      });
      if (indicators.length === 0) {
        const blocked = results.every((r) => r.status === 'rejected' && r.reason instanceof BlockedError);
        const text = failures.join('; ');
        throw new Error(blocked ? `blocked: ${text.replace(/: blocked: /g, ': ')}` : text);
      }
      return { indicators, warning: failures.length > 0 ? failures.join('; ') : null };
    },
  };
}
