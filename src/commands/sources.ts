/** `morning-brief sources`: probe every source once and show ok/FAIL, time, items and why. */
import type { Config } from '../config.ts';
import type { SourceStatus } from '../domain.ts';
import type { FeedCache } from '../store/feed-cache.ts';
import type { HttpDeps } from '../util/http.ts';
import { collectSnapshot, type ProgressEvent } from '../sources/collect.ts';
import { describeSources } from '../sources/registry.ts';

/** The part of a stream we write to; `columns` is there when it is a terminal. */
export interface TextStream {
  write(chunk: string): unknown;
  columns?: number;
}

export interface SourcesCommandDeps {
  http: HttpDeps;
  now: () => Date;
  feedCache: FeedCache;
  stdout: TextStream;
  /** stdout is a terminal: draw live progress while probing. */
  isTTY: boolean;
}

export interface SourceProbe {
  id: string;
  enabled: boolean;
  role: 'primary' | 'fallback';
  /** null when the source is off. */
  status: SourceStatus | null;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/** Calls `tick` every so often until the returned function stops it. */
export type Ticker = (tick: () => void) => () => void;

/** Every 120 ms, not holding the process open. */
export const intervalTicker: Ticker = (tick) => {
  const timer = setInterval(tick, 120);
  timer.unref();
  return () => clearInterval(timer);
};

/** Some terminals (and pseudo-terminals in CI) report 0 columns: draw for 80 then. */
const usableColumns = (stream: TextStream) => (stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80);

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Live progress for a terminal: one spinner line ("⠹ sources 7/12 · waiting: fred, etf_flows"),
 * a permanent line for each failure, and the spinner line cleared at the end. Not a TTY: silent.
 * The spinner also turns on `ticker` between events, so a source waiting out a 10 s timeout
 * does not look like a hung program.
 * @example const onProgress = progressReporter(process.stderr, process.stderr.isTTY);
 */
export function progressReporter(stream: TextStream, isTTY: boolean, ticker: Ticker = intervalTicker): (event: ProgressEvent) => void {
  if (!isTTY) return () => {};
  const running = new Set<string>();
  let started = 0;
  let done = 0;
  let frame = 0;
  let stopTicking: (() => void) | null = null;
  const draw = () => {
    const width = usableColumns(stream) - 1;
    const waiting = [...running].join(', ');
    stream.write(`${CLEAR_LINE}${fit(`${FRAMES[frame++ % FRAMES.length]} sources ${done}/${started} · waiting: ${waiting}`, width)}`);
  };
  return (event) => {
    if (event.phase === 'start') {
      started++;
      running.add(event.id);
      stopTicking ??= ticker(draw);
    } else {
      done++;
      running.delete(event.id);
      if (event.status && !event.status.ok) {
        stream.write(`${CLEAR_LINE}  FAIL ${event.id} (${event.status.ms} ms): ${event.status.error ?? 'failed'}\n`);
      }
    }
    if (done >= started) {
      stopTicking?.();
      stopTicking = null;
      stream.write(CLEAR_LINE);
    } else draw();
  };
}

function pad(value: string, width: number): string {
  return value.length >= width ? value : value + ' '.repeat(width - value.length);
}

function renderTable(probes: SourceProbe[]): string {
  const idWidth = Math.max(6, ...probes.map((p) => p.id.length));
  const lines = [`${pad('SOURCE', idWidth)}  ${pad('STATE', 5)}  ${pad('MS', 6)}  ${pad('ITEMS', 5)}  NOTE`];
  for (const p of probes) {
    const s = p.status;
    const state = !p.enabled ? 'off' : s?.ok ? 'ok' : 'FAIL';
    const notes = [
      p.role === 'fallback' ? 'fallback' : null,
      s?.fallback ? `served by ${s.fallback}` : null,
      s?.notModified ? 'not modified' : null,
      s?.error ? fit(s.error, 160) : null,
    ].filter(Boolean);
    lines.push(
      `${pad(p.id, idWidth)}  ${pad(state, 5)}  ${pad(s ? String(s.ms) : '-', 6)}  ${pad(s ? String(s.items) : '-', 5)}  ${notes.join('; ')}`.trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Probes every enabled source (Binance too, even behind CoinGecko), lists disabled ones as
 * "off", and prints a table or JSON. Exit code 0 when every enabled primary source is ok.
 * @example process.exitCode = await runSourcesCommand(config, { http, now, feedCache, stdout: process.stdout, isTTY }, { json: false });
 */
export async function runSourcesCommand(config: Config, deps: SourcesCommandDeps, opts: { json: boolean }): Promise<number> {
  const entries = describeSources(config);
  const enabled = entries.filter((e) => e.enabled);
  const snapshot = await collectSnapshot(
    enabled.map((e) => e.source),
    { http: deps.http, now: deps.now, feedCache: deps.feedCache },
    {
      timeoutMs: config.sources.timeoutMs,
      deadlineMs: config.sources.deadlineMs,
      retries: config.sources.retries,
      userAgent: config.sources.userAgent,
      ...(opts.json ? {} : { onProgress: progressReporter(deps.stdout, deps.isTTY) }),
    },
  );
  // Statuses come back in the order the sources went in.
  const statuses = new Map(enabled.map((e, i) => [e, snapshot.statuses[i] ?? null]));
  const probes: SourceProbe[] = entries.map((e) => ({ id: e.source.id, enabled: e.enabled, role: e.role, status: statuses.get(e) ?? null }));
  const ok = probes.every((p) => !p.enabled || p.role === 'fallback' || p.status?.ok === true);

  if (opts.json) deps.stdout.write(`${JSON.stringify({ ok, takenAt: snapshot.takenAt, sources: probes }, null, 2)}\n`);
  else deps.stdout.write(renderTable(probes));
  return ok ? 0 : 1;
}
