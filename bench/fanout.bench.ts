/**
 * Fan-out benchmark (`npm run bench:fanout`): one brief to 5,000 Telegram subscribers through
 * a fake Bot API limited to 300 messages/s with 20 ms latency per call, three ways:
 *
 *   engine       the outbox + limiter + worker (what `broadcast` and the scheduler use)
 *   for-await    `for (const s of subs) await sendMessage(...)`
 *   Promise.all  `await Promise.all(subs.map((s) => sendMessage(...)))`
 *
 * For each: achieved messages/s and its ratio to the limit, 429 answers, chats that got no
 * copy (lost) and chats that got more than one (duplicated). Target for the engine: at least
 * 0.9 of the limit, none lost, none duplicated, 429s under 1% of sends.
 *
 * Options: --subscribers N (5000), --limit N (300), --latency MS (20), --only engine|loop|all
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Telegram } from 'telegraf';
import { createTelegramAdapter } from '../src/delivery/telegram.ts';
import { broadcastBrief } from '../src/delivery/worker.ts';
import { renderTelegram } from '../src/render/telegram-html.ts';
import { openDb } from '../src/store/db.ts';
import { insertBrief, insertRun } from '../src/store/runs.ts';
import { upsertSubscriber } from '../src/store/subscribers.ts';
import { sampleBrief, sampleSnapshot } from '../test/helpers/sample-brief.ts';
import type { FanoutServerReport } from './fanout-server.ts';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '5000' },
    limit: { type: 'string', default: '300' },
    /** The server's limit when it should differ from the one the engine is told (diagnostics). */
    'server-limit': { type: 'string' },
    latency: { type: 'string', default: '20' },
    only: { type: 'string' },
  },
});
const N = Number(values.subscribers);
const LIMIT = Number(values.limit);
const LATENCY = Number(values.latency);

interface Server {
  url: string;
  token: string;
  report(): Promise<FanoutServerReport>;
  close(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./fanout-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FANOUT_LIMIT: values['server-limit'] ?? String(LIMIT), FANOUT_LATENCY_MS: String(LATENCY) },
  });
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  const hello = await next<{ url: string; token: string }>();
  return {
    ...hello,
    report: () => {
      const r = next<FanoutServerReport>();
      child.send('report');
      return r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

const chats = Array.from({ length: N }, (_, i) => String(100_000 + i));
const brief = sampleBrief();
const [text] = renderTelegram(brief);
const extra = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

interface Row {
  name: string;
  seconds: number;
  perSecond: number;
  ratio: number;
  rateLimited: number;
  lost: number;
  duplicated: number;
  note: string;
}

function summarise(name: string, report: FanoutServerReport, seconds: number, note = ''): Row {
  // Delivered messages over the run's wall time: what a broadcast achieves end to end
  // (a burst that gets 300 through in 50 ms and loses the rest is not 6,000 msg/s).
  const perSecond = report.stats.accepted / seconds;
  const lost = chats.filter((c) => !report.perChat[c]).length;
  const duplicated = chats.filter((c) => (report.perChat[c] ?? 0) > 1).length;
  return { name, seconds, perSecond, ratio: perSecond / LIMIT, rateLimited: report.stats.rateLimited, lost, duplicated, note: `delivered ${report.stats.accepted}/${N}; ${note}` };
}

async function runEngine(): Promise<Row> {
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'fanout-'));
  const db = openDb(join(dir, 'fanout.db'));
  try {
    const runId = insertRun(db, sampleSnapshot(), 'bench', new Date());
    const briefId = insertBrief(db, runId, brief, []);
    db.transaction(() => {
      for (const chatId of chats) upsertSubscriber(db, { platform: 'telegram', chatId }, new Date());
    })();
    const adapter = createTelegramAdapter({
      telegram: new Telegram(server.token, { apiRoot: server.url }),
      limits: { globalPerSecond: LIMIT, perChatPerSecond: 1, perGroupPerMinute: 20, headroom: 0.95 },
    });
    const started = performance.now();
    const elu = performance.eventLoopUtilization();
    const result = await broadcastBrief(db, briefId, { adapters: [adapter], maxAttempts: 5, maxInFlight: 64 });
    const busy = performance.eventLoopUtilization(elu).utilization;
    const seconds = (performance.now() - started) / 1000;
    const report = await server.report();
    return summarise('engine', report, seconds, `${result.sent} rows sent, ${result.failed} failed, busiest second ${report.maxPerSecond} msgs, event loop ${(busy * 100).toFixed(0)}% busy`);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}

async function runLoop(): Promise<Row> {
  const server = await startServer();
  try {
    const telegram = new Telegram(server.token, { apiRoot: server.url });
    let errors = 0;
    const started = performance.now();
    for (const chat of chats) {
      try {
        await telegram.sendMessage(chat, text!, extra);
      } catch {
        errors++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return summarise('for-await', await server.report(), seconds, `${errors} errors`);
  } finally {
    await server.close();
  }
}

async function runAll(): Promise<Row> {
  const server = await startServer();
  try {
    const telegram = new Telegram(server.token, { apiRoot: server.url });
    let errors = 0;
    const started = performance.now();
    await Promise.all(
      chats.map((chat) =>
        telegram.sendMessage(chat, text!, extra).catch(() => {
          errors++;
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    return summarise('Promise.all', await server.report(), seconds, `${errors} errors`);
  } finally {
    await server.close();
  }
}

const runs: Record<string, () => Promise<Row>> = { engine: runEngine, loop: runLoop, all: runAll };
const rows: Row[] = [];
console.log(`fan-out: ${N} subscribers, fake Bot API limit ${LIMIT} msg/s, ${LATENCY} ms latency per call`);
for (const [key, run] of Object.entries(runs)) {
  if (values.only && values.only !== key) continue;
  const row = await run();
  rows.push(row);
  console.log(
    `${row.name.padEnd(12)} ${row.perSecond.toFixed(1).padStart(7)} msg/s  ratio ${row.ratio.toFixed(3)}  ` +
      `429s ${String(row.rateLimited).padStart(5)} (${((row.rateLimited / N) * 100).toFixed(2)}% of sends)  ` +
      `lost ${String(row.lost).padStart(5)}  duplicated ${row.duplicated}  wall ${row.seconds.toFixed(1)} s  ${row.note}`,
  );
}
const engine = rows.find((r) => r.name === 'engine');
if (engine) {
  const ok = engine.ratio >= 0.9 && engine.lost === 0 && engine.duplicated === 0 && engine.rateLimited < N * 0.01;
  console.log(`engine target (>= 0.9 of the limit, no loss, no duplicates, 429s < 1%): ${ok ? 'met' : 'NOT met'}`);
  process.exitCode = ok ? 0 : 1;
}
