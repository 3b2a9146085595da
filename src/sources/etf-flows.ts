/**
 * Spot ETF net flows from Farside (`/btc/`, `/eth/`): an HTML table of daily flows in US$m,
 * one column per ETF and a Total column, negatives in parentheses, "-" for a fund not yet in.
 * Market holidays are rows of "-" with a Total of 0.0: no flow, so they are skipped; a day
 * with some funds still "-" is kept as preliminary.
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
  /** Some funds still show "-": the day is not final. */
  preliminary: boolean;
  /** Funds with a figure that day, and funds in the table. */
  reported: number;
  funds: number;
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

const isTotal = (cell: string) => /^total$/i.test(cell.trim());

/** Where the Total column is: by its header (wherever funds are added), else the last column. */
function totalColumn(rows: string[][], width: number): number {
  const header = rows.find((r) => parseFarsideDate(r[0] ?? '') === null && r.slice(1).some(isTotal));
  if (!header) return width - 1;
  const at = header.findIndex((c, i) => i > 0 && isTotal(c));
  // A header row one cell short (no cell over the dates) lines up from the right.
  return header.length === width ? at : width - (header.length - at);
}

/**
 * The trading days in a Farside flows page, oldest first. A market holiday ("-" in every fund,
 * Total "0.0") is no flow, not a zero flow, and a day not yet in ("-" everywhere) is no day:
 * both are left out. A day some funds have not reported yet is kept, marked preliminary.
 * @example parseFarsideFlows(html).at(-1) // { date: '2025-12-03', totalUsdM: -14.9, preliminary: false, ... }
 */
export function parseFarsideFlows(html: string, what = 'Farside'): DailyFlow[] {
  for (const rows of htmlTables(html)) {
    const dated = rows.filter((r) => r[0] !== undefined && parseFarsideDate(r[0]) !== null);
    if (dated.length === 0) continue;
    const width = Math.max(...dated.map((r) => r.length));
    const totalAt = totalColumn(rows, width);
    if (totalAt <= 0 || totalAt >= width) continue;
    const flows: DailyFlow[] = [];
    for (const r of dated) {
      if (r.length !== width) continue;
      const total = parseFlow(r[totalAt] ?? '');
      if (total === null) continue;
      const funds = r.filter((_, i) => i > 0 && i !== totalAt);
      const reported = funds.filter((c) => parseFlow(c) !== null).length;
      // Every fund "-": the market was shut (Farside writes 0.0 in Total), not a day without flows.
      if (reported === 0 && funds.length > 0) continue;
      flows.push({ date: parseFarsideDate(r[0]!)!, totalUsdM: total, preliminary: reported < funds.length, reported, funds: funds.length });
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
  const indicator: Indicator = {
    id: spec.id,
    label: spec.label,
    value: last.totalUsdM,
    unit: 'usd_millions',
    previous: flows.at(-2)?.totalUsdM ?? null,
    classification: null,
    // The prompt shows the detail, so the model is told too that the day is not final.
    detail: last.preliminary ? `${last.date} (preliminary: ${last.reported} of ${last.funds} funds reported)` : last.date,
    source: 'farside',
    asOf: `${last.date}T00:00:00.000Z`,
    // The last five sessions, for the card's flow bars.
    history: flows.slice(-5).map((f) => ({ asOf: `${f.date}T00:00:00.000Z`, value: f.totalUsdM })),
  };
  if (last.preliminary) indicator.preliminary = true;
  return indicator;
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
