/**
 * Fan-out benchmark (`npm run bench:fanout`): the real `morning-brief broadcast` process
 * against strict fake platforms (bench/fakes/, each in its own process) that count over
 * sliding windows at the moment a request arrives and answer 429 to any excess:
 *
 *   telegram     1,000 subscribers at the free 30 msg/s (20 groups, 10 blocked, 10 missing)
 *   paid         5,000 subscribers with allow_paid_broadcast at 1000 msg/s
 *   discord      300 bot channels at the global 50 req/s (5 answer 403, 5 answer 404) and
 *                60 webhooks in 6 channels (3 answer 404)
 *
 * Per run: rate over the limit (counted requests over the span from first to last), 429s,
 * lost and duplicated chats, the largest count the server saw in any sliding second, gaps
 * between sends (p50/p99), requests to gone chats beyond the first, the broadcast process's
 * peak RSS and CPU. Targets are checked on the median of the runs and printed as PASS/FAIL.
 *
 * Options: --runs N (3), --only telegram,paid,discord (comma list), --latency MS (40),
 * --jitter MS (10, each way), --margin MS (DELIVERY_WINDOW_MARGIN_MS for the broadcast),
 * --profile DIR (a V8 CPU profile of each broadcast process; summarise with bench/cpu-profile.ts)
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import buildDist from '../scripts/build-dist.ts';
import { openDb } from '../src/store/db.ts';
import { insertBrief, insertRun } from '../src/store/runs.ts';
import { upsertSubscriber, type NewSubscriber } from '../src/store/subscribers.ts';
import { sampleBrief, sampleSnapshot } from '../test/helpers/sample-brief.ts';
import type { StrictDiscordReport } from './fakes/strict-discord.ts';
import type { StrictTelegramReport } from './fakes/strict-telegram.ts';
import type { FanoutServerConfig } from './fanout-server.ts';
import { gaps, maxInWindow, median, percentile, watchProcess } from './fanout-stats.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    latency: { type: 'string', default: '40' },
    jitter: { type: 'string', default: '10' },
    /** DELIVERY_WINDOW_MARGIN_MS for the broadcast (default: the engine's own). */
    margin: { type: 'string' },
    /** Writes a V8 CPU profile of each broadcast process into this folder (--cpu-prof). */
    profile: { type: 'string' },
    /** Extra node flags for the broadcast process (diagnostics, e.g. "--max-semi-space-size=4"). */
    'node-flags': { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const LATENCY = Number(values.latency);
const JITTER = Number(values.jitter);
const TOKEN = '123456789:AAStrictFakeTokenForTheFanoutBench00';
const DISCORD_TOKEN = 'bench.discord.token';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Scenario {
  name: string;
  limit: number;
  subscribers: NewSubscriber[];
  /** Chats that never accept (blocked, missing, 403/404): every other one must get one copy. */
  gone: Set<string>;
  server: FanoutServerConfig;
  env: (url: string) => Record<string, string>;
}

function telegramScenario(name: string, n: number, paid: boolean): Scenario {
  const subscribers: NewSubscriber[] = [];
  for (let i = 0; i < n; i++) {
    const group = i % 50 === 7; // 2% groups
    subscribers.push({ platform: 'telegram', chatId: group ? String(-1_000_000_000 - i) : String(100_000 + i), kind: group ? 'supergroup' : 'private' });
  }
  const privates = subscribers.filter((s) => s.kind === 'private').map((s) => s.chatId);
  const blocked = privates.filter((_, i) => i % 100 === 3);
  const missing = privates.filter((_, i) => i % 100 === 5);
  return {
    name,
    limit: paid ? 1000 : 30,
    subscribers,
    gone: new Set([...blocked, ...missing]),
    server: { kind: 'telegram', token: TOKEN, freePerSecond: 30, paidPerSecond: 1000, perChatPerSecond: 1, perGroupPerMinute: 20, latencyMs: LATENCY, jitterMs: JITTER, blocked, missing },
    env: (url) => ({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: url, TELEGRAM_MESSAGES_PER_SECOND: '30', TELEGRAM_PAID_BROADCAST: String(paid) }),
  };
}

function discordScenario(): Scenario {
  const subscribers: NewSubscriber[] = [];
  const forbidden: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < 300; i++) {
    const id = String(900_000_000_000_000_000n + BigInt(i));
    subscribers.push({ platform: 'discord', chatId: id, kind: 'channel' });
    if (i % 60 === 11) forbidden.push(id);
    if (i % 60 === 13) unknown.push(id);
  }
  const webhookChannels: Record<string, string> = {};
  const hooks: string[] = [];
  for (let i = 0; i < 60; i++) {
    const id = String(800_000_000_000_000_000n + BigInt(i));
    webhookChannels[id] = `channel-${i % 6}`;
    hooks.push(id);
    if (i % 20 === 9) unknown.push(id);
  }
  return {
    name: 'discord',
    limit: 50,
    subscribers,
    gone: new Set([...forbidden, ...unknown, ...unknown.map((id) => `webhook:${id}`)]),
    server: { kind: 'discord', token: DISCORD_TOKEN, globalPerSecond: 50, channelPer5s: 5, webhookPer2s: 5, webhookChannelPerMinute: 30, webhookChannels, latencyMs: LATENCY, jitterMs: JITTER, forbidden, unknown },
    env: (url) => ({
      DISCORD_BOT_TOKEN: DISCORD_TOKEN,
      DISCORD_API_ROOT: `${url}/api`,
      DISCORD_MESSAGES_PER_SECOND: '50',
      DISCORD_WEBHOOK_URLS: hooks.map((id) => `${url}/api/webhooks/${id}/tok-${id}`).join(','),
    }),
  };
}

interface Result {
  ratio: number;
  rate: number;
  rateLimited: number;
  lost: number;
  duplicated: number;
  max1s: number;
  gapP50: number;
  gapP99: number;
  goneRetried: number;
  peakRssMb: number;
  cpuPct: number;
  serverCpuPct: number;
  wallS: number;
  exit: number | null;
  webhook?: { rate: number; rateLimited: number; max2sPerHook: string };
}

async function runOnce(s: Scenario): Promise<Result> {
  const server = fork(fileURLToPath(new URL('./fanout-server.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, FANOUT_SERVER: JSON.stringify(s.server) },
  });
  const next = <T>() => new Promise<T>((resolve) => server.once('message', (m) => resolve(m as T)));
  const { url } = await next<{ url: string }>();
  const dir = mkdtempSync(join(tmpdir(), 'fanout-'));
  const dbFile = join(dir, 'fanout.db');
  try {
    const db = openDb(dbFile);
    const briefId = insertBrief(db, insertRun(db, sampleSnapshot(), 'bench', new Date()), sampleBrief(), []);
    db.transaction(() => {
      for (const sub of s.subscribers) upsertSubscriber(db, sub, new Date());
    })();
    db.close();
    const started = performance.now();
    const serverCpuBefore = (await (server.send('report'), next<{ cpuMs: number }>())).cpuMs;
    const profile = [...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : []), ...(values['node-flags']?.split(' ').filter(Boolean) ?? [])];
    const child = spawn(process.execPath, [...profile, join(ROOT, 'bin/morning-brief.js'), 'broadcast', String(briefId), '--json'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        MORNING_BRIEF_DB: dbFile,
        LOG_LEVEL: 'silent',
        DELIVERY_MAX_ATTEMPTS: '5',
        ...(values.margin !== undefined ? { DELIVERY_WINDOW_MARGIN_MS: values.margin } : {}),
        ...s.env(url),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const watch = watchProcess(child.pid!);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const wallS = (performance.now() - started) / 1000;
    const proc = watch.stop();
    if (exit !== 0) console.error(`  broadcast exited ${exit}: ${out.trim().split('\n').slice(-3).join(' | ')}`);
    server.send('report');
    const report = await next<(StrictTelegramReport | StrictDiscordReport) & { cpuMs: number }>();
    return summarise(s, report, { ...proc, wallS, exit, serverCpuMs: report.cpuMs - serverCpuBefore });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    server.send('close');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

function summarise(
  s: Scenario,
  report: (StrictTelegramReport | StrictDiscordReport) & { cpuMs: number },
  run: { peakRssMb: number; cpuMs: number; wallS: number; exit: number | null; serverCpuMs: number },
): Result {
  const perTarget = 'perChat' in report ? report.perChat : report.perTarget;
  const targets = s.subscribers.map((sub) => (sub.platform === 'discord-webhook' ? sub.chatId : sub.chatId));
  if ('seenWebhook' in report) for (const id of Object.keys(s.server.kind === 'discord' ? s.server.webhookChannels : {})) targets.push(`webhook:${id}`);
  const expected = targets.filter((t) => !s.gone.has(t));
  const seen = report.seen;
  const spanMs = seen.length > 1 ? seen[seen.length - 1]! - seen[0]! : 0;
  const counted = seen.length - ('rateLimitedBy' in report && 'global' in report.rateLimitedBy ? report.rateLimitedBy.global + report.rateLimitedBy.channel : report.rateLimited);
  const rate = spanMs > 0 ? ((counted - 1) / spanMs) * 1000 : 0;
  const g = gaps(seen);
  const result: Result = {
    ratio: rate / s.limit,
    rate,
    rateLimited: report.rateLimited,
    lost: expected.filter((t) => !perTarget[t]).length,
    duplicated: Object.values(perTarget).filter((n) => n > 1).length,
    max1s: maxInWindow(seen, 1000),
    gapP50: percentile(g, 0.5),
    gapP99: percentile(g, 0.99),
    goneRetried: Object.values(report.goneRequests).filter((n) => n > 1).length,
    peakRssMb: run.peakRssMb,
    cpuPct: (run.cpuMs / (run.wallS * 1000)) * 100,
    serverCpuPct: (run.serverCpuMs / (run.wallS * 1000)) * 100,
    wallS: run.wallS,
    exit: run.exit,
  };
  if ('seenWebhook' in report) {
    const w = report.seenWebhook;
    const wSpan = w.length > 1 ? w[w.length - 1]! - w[0]! : 0;
    result.webhook = {
      rate: wSpan > 0 ? ((w.length - 1) / wSpan) * 1000 : 0,
      rateLimited: report.rateLimitedBy.webhook + report.rateLimitedBy.webhookChannel,
      max2sPerHook: 'checked by the server (429 on excess)',
    };
  }
  return result;
}

const fmt = (n: number, d = 1) => n.toFixed(d);
function line(label: string, r: Result, limit: number): string {
  return (
    `${label.padEnd(10)} ${fmt(r.rate).padStart(7)}/s ${fmt(r.ratio, 3).padStart(6)} ${String(r.rateLimited).padStart(5)} ${String(r.lost).padStart(5)} ` +
    `${String(r.duplicated).padStart(5)} ${`${r.max1s}/${limit}`.padStart(9)} ${fmt(r.gapP50).padStart(6)} ${fmt(r.gapP99).padStart(7)} ` +
    `${String(r.goneRetried).padStart(6)} ${fmt(r.peakRssMb).padStart(7)} ${fmt(r.cpuPct, 0).padStart(5)}% ${fmt(r.serverCpuPct, 0).padStart(5)}% ${fmt(r.wallS).padStart(6)}s` +
    (r.webhook ? `  webhooks ${fmt(r.webhook.rate)}/s, ${r.webhook.rateLimited} 429s` : '')
  );
}

function medianResult(results: Result[]): Result {
  const m = (f: (r: Result) => number) => median(results.map(f));
  const exits = results.map((r) => r.exit);
  return {
    ratio: m((r) => r.ratio), rate: m((r) => r.rate), rateLimited: m((r) => r.rateLimited), lost: m((r) => r.lost),
    duplicated: m((r) => r.duplicated), max1s: m((r) => r.max1s), gapP50: m((r) => r.gapP50), gapP99: m((r) => r.gapP99),
    goneRetried: m((r) => r.goneRetried), peakRssMb: m((r) => r.peakRssMb), cpuPct: m((r) => r.cpuPct),
    serverCpuPct: m((r) => r.serverCpuPct), wallS: m((r) => r.wallS), exit: exits.every((e) => e === exits[0]) ? exits[0]! : -1,
    ...(results[0]?.webhook ? { webhook: { rate: m((r) => r.webhook!.rate), rateLimited: m((r) => r.webhook!.rateLimited), max2sPerHook: '' } } : {}),
  };
}

// The broadcast runs as the installed command does (bin/ -> dist/): build dist/ if src/ is newer.
try {
  buildDist();
} catch (err) {
  // Another process changing src/ mid-scan; the last build still runs.
  console.error(`note: could not check dist/ (${String(err).split('\n')[0]}); running the existing build`);
}

const scenarios: Record<string, () => Scenario> = {
  telegram: () => telegramScenario('telegram', 1000, false),
  paid: () => telegramScenario('paid', 5000, true),
  discord: discordScenario,
};
const only = values.only ? values.only.split(',') : Object.keys(scenarios);
const verdicts: string[] = [];
let failed = false;
const check = (what: string, ok: boolean, detail: string) => {
  verdicts.push(`${ok ? 'PASS' : 'FAIL'}  ${what}: ${detail}`);
  if (!ok) failed = true;
};

console.log(`fan-out bench: ${RUNS} run(s) each, strict fakes with ${LATENCY} ms round trip, ±${JITTER} ms jitter each way, window margin ${values.margin ?? 'default'}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const key of only) {
  const s = scenarios[key]!();
  console.log(`\n${s.name}: ${s.subscribers.length} subscribers, limit ${s.limit}/s`);
  console.log(`${'run'.padEnd(10)} ${'rate'.padStart(9)} ${'ratio'.padStart(6)} ${'429s'.padStart(5)} ${'lost'.padStart(5)} ${'dup'.padStart(5)} ${'max 1 s'.padStart(9)} ${'gap50'.padStart(6)} ${'gap99'.padStart(7)} ${'gone>1'.padStart(6)} ${'RSS MB'.padStart(7)} ${'cpu'.padStart(6)} ${'srvcpu'.padStart(6)} ${'wall'.padStart(7)}`);
  const results: Result[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(s);
    results.push(r);
    console.log(line(`#${i + 1}`, r, s.limit));
  }
  const med = medianResult(results);
  console.log(line('median', med, s.limit));
  const clean = med.rateLimited === 0 && med.lost === 0 && med.duplicated === 0 && med.exit !== -1;
  const summary = `ratio ${fmt(med.ratio, 3)}, ${med.rateLimited} 429s, ${med.lost} lost, ${med.duplicated} duplicated, busiest second ${med.max1s}/${s.limit}`;
  if (key === 'telegram') check('telegram 1,000 subscribers: >= 0.95 of 30/s, 0 429s, none lost or doubled', clean && med.ratio >= 0.95, summary);
  if (key === 'paid') {
    check('paid broadcast 5,000 subscribers: >= 0.90 of 1000/s, 0 429s, none lost or doubled', clean && med.ratio >= 0.9, summary);
    check('paid broadcast 5,000 subscribers: peak RSS <= 120 MB', med.peakRssMb <= 120, `${fmt(med.peakRssMb)} MB (broadcast process CPU ${fmt(med.cpuPct, 0)}% of one core)`);
  }
  if (key === 'discord') {
    check('discord: >= 0.90 of 50/s, 0 429s (bot and webhooks), none lost or doubled', clean && med.ratio >= 0.9 && (med.webhook?.rateLimited ?? 0) === 0, `${summary}, webhook 429s ${med.webhook?.rateLimited ?? 0}`);
    check('discord: channels and webhooks answering 403/404 never retried', med.goneRetried === 0, `${med.goneRetried} retried`);
  }
}
console.log(`\n${verdicts.join('\n')}`);
process.exitCode = failed ? 1 : 0;
