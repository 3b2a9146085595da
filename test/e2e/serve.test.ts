/**
 * The whole service as an operator runs it: `morning-brief serve` as a child process, every
 * outside service faked on 127.0.0.1 (sources, an OpenAI-compatible LLM, the Telegram Bot
 * API, Discord REST and webhooks), on the real clock. 20 subscribers on three platforms and
 * in three time zones are due one or two minutes from now; each must get exactly one brief
 * at their own time, also across a kill -9 between the two minutes and a restart (which
 * catches up). Then /healthz, /metrics and POST /trigger.
 *
 * The Discord gateway cannot be faked: the bot token is set (channel delivery over REST
 * needs it), the gateway login fails against the fake, and the process must log that and
 * keep delivering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV_PATHS } from '../../src/config.ts';
import type { Brief } from '../../src/domain.ts';
import { METRIC_NAMES } from '../../src/metrics.ts';
import { renderDiscord } from '../../src/render/discord-embed.ts';
import { withoutCard } from '../helpers/discord-card-body.ts';
import { renderTelegram } from '../../src/render/telegram-html.ts';
import { openDb } from '../../src/store/db.ts';
import { getBrief } from '../../src/store/runs.ts';
import { upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai-server.ts';
import { configFor, startSourcesServer, type SourcesServer } from '../fakes/sources-server.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/morning-brief.js');
const API_KEY = 'sk-e2e-0123456789abcdef';
const TRIGGER_TOKEN = 'e2e-trigger-token-0123456789';
const ZONES = ['UTC', 'Asia/Kolkata', 'America/New_York'] as const;

/** A brief the grounding check accepts for the fixture sources' data (aliases S1.. follow the ranking). */
const DRAFT = {
  title: 'Morning Brief | ETH trades at $3,051, Binance faces $1 billion lawsuit',
  leadA: 'ETH trades at $3,051',
  leadB: 'Binance faces $1 billion lawsuit',
  items: [
    { text: 'Binance faces a $1 billion terrorism financing lawsuit, CoinDesk and Cointelegraph report.', storyIds: ['S2'], section: 'exchange' },
    { text: 'The Federal Reserve Board issued its Beige Book.', storyIds: ['S3'], section: 'macro' },
    { text: 'ETH trades at $3,051 (+2.1%) and BTC at $92,850 (-0.8%), according to CoinGecko.', storyIds: [], section: 'prices' },
    { text: "Nasdaq seeks to lift the position limit on BlackRock's IBIT options, CoinDesk reports.", storyIds: ['S4'], section: 'etf' },
    { text: 'Securitize won EU approval for a tokenized securities platform.', storyIds: ['S5'], section: 'regulation' },
  ],
};

interface Sub {
  platform: 'telegram' | 'discord' | 'discord-webhook';
  /** Chat id, channel id, or webhook URL. */
  chatId: string;
  /** Where the fake records it: chat id, channel id, or webhook id. */
  target: string;
  timezone: string;
  deliveryTime: string;
  dueAt: number;
}

interface Child {
  proc: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  /** The HTTP server's address, from the "http server listening" log line. */
  url: Promise<string>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

function localHhmm(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

async function waitFor(check: () => boolean, what: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${child ? `\n--- child output ---\n${child.output().slice(-4000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/** The environment without any of the service's own variables, so only the config file speaks. */
function cleanEnv(configPath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!(k in ENV_PATHS) && k !== 'MORNING_BRIEF_CONFIG') env[k] = v;
  return { ...env, MORNING_BRIEF_CONFIG: configPath };
}

function startServe(env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let resolveUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    const line = out.split('\n').find((l) => l.includes('"http server listening"'));
    if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  cleanups.push(() => void proc.kill('SIGKILL'));
  // A process that dies before listening fails the test with its output instead of hanging it.
  const listening = Promise.race([url, exited.then((code) => Promise.reject(new Error(`serve exited with ${code} before listening:\n${out.slice(-4000)}`)))]);
  listening.catch(() => undefined);
  return { proc, exited, output: () => out, url: listening };
}

async function metricValue(url: string, name: string, platform: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{platform="${platform}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('morning-brief serve, end to end', () => {
  it('delivers each subscriber exactly one brief at their own time, across kill -9 and restart; health, metrics and trigger work', async () => {
    const sources: SourcesServer = await startSourcesServer();
    const llm: FakeOpenAi = await startFakeOpenAi([], { apiKey: API_KEY, whenEmpty: { json: DRAFT } });
    const tg: FakeTelegram = await startFakeTelegram({ globalPerSecond: 100 });
    const discord: FakeDiscord = await startFakeDiscord();
    const dir = mkdtempSync(join(tmpdir(), 'mb-e2e-'));
    cleanups.push(() => sources.close(), () => llm.close(), () => tg.close(), () => discord.close(), () => rmSync(dir, { recursive: true, force: true }));

    // First-seen times of Discord messages (the fake records no time).
    const discordSeen = new Map<string, number>();
    const watch = setInterval(() => {
      for (const m of discord.messages) if (!discordSeen.has(m.id)) discordSeen.set(m.id, Date.now());
    }, 20);
    cleanups.push(() => clearInterval(watch));

    // Group A is due at the next minute (with room to start the process), group B a minute later.
    let dueA = Math.ceil((Date.now() + 1) / 60_000) * 60_000;
    if (dueA - Date.now() < 25_000) dueA += 60_000;
    const dueB = dueA + 60_000;

    const dbFile = join(dir, 'brief.db');
    const db = openDb(dbFile);
    const subs: Sub[] = [];
    for (let i = 0; i < 20; i++) {
      const dueAt = i < 10 ? dueA : dueB;
      const timezone = ZONES[i % ZONES.length]!;
      const kind = i % 5; // per group: 4 Telegram chats, 3 Discord channels, 3 webhooks
      let sub: Omit<Sub, 'timezone' | 'deliveryTime' | 'dueAt'>;
      if (kind < 2) sub = { platform: 'telegram', chatId: String(5000 + i), target: String(5000 + i) };
      else if (kind < 4 && i % 2 === 0) sub = { platform: 'discord', chatId: `41000000000000000${String(i).padStart(2, '0')}`, target: `41000000000000000${String(i).padStart(2, '0')}` };
      else if (kind < 4) {
        const hook = discord.addWebhook();
        sub = { platform: 'discord-webhook', chatId: hook.url, target: hook.id };
      } else sub = { platform: 'discord', chatId: `42000000000000000${String(i).padStart(2, '0')}`, target: `42000000000000000${String(i).padStart(2, '0')}` };
      const full: Sub = { ...sub, timezone, deliveryTime: localHhmm(dueAt, timezone), dueAt };
      subs.push(full);
      const kindOf = { telegram: 'private', discord: 'channel', 'discord-webhook': 'webhook' }[full.platform];
      upsertSubscriber(db, { platform: full.platform, chatId: full.chatId, kind: kindOf, timezone, deliveryTime: full.deliveryTime, language: 'en' }, new Date());
    }
    db.close();
    const platforms = ['telegram', 'discord', 'discord-webhook'] as const;
    const groupA = subs.filter((s) => s.dueAt === dueA);
    const groupB = subs.filter((s) => s.dueAt === dueB);
    expect(new Set(subs.map((s) => s.platform)).size).toBe(3);
    expect(new Set(subs.map((s) => s.timezone)).size).toBe(3);

    const config = configFor(sources, {
      db: dbFile,
      logLevel: 'info',
      // The fixture news are from 2025; keep them, and rank them the same every run.
      stories: { maxAgeHours: 24 * 365 * 20, recentBriefs: 0 },
      // ...and their figures count as current (the writers leave stale figures out).
      freshness: { pricesMinutes: 60 * 24 * 365 * 20, fearGreedHours: 24 * 365 * 20, fredBusinessDays: 260 * 20, etfFlowDays: 365 * 20, fomcOddsMinutes: 60 * 24 * 365 * 20 },
      llm: { apiKey: API_KEY, baseUrl: llm.baseURL, model: 'fake-model', timeoutMs: 10_000, maxRetries: 0 },
      telegram: { botToken: tg.token, apiRoot: tg.url, messagesPerSecond: 60 },
      discord: { botToken: discord.token, applicationId: discord.applicationId, apiRoot: discord.api, requestTimeoutMs: 5_000 },
      delivery: { retryBaseMs: 200, pollMs: 5_000 },
      server: { port: 0, host: '127.0.0.1', triggerToken: TRIGGER_TOKEN },
    });
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const env = cleanEnv(configPath);

    /** Messages each subscriber got, as [index of the part in `parts`], with the time first seen. */
    const received = (s: Sub) =>
      s.platform === 'telegram'
        ? tg.messagesTo(s.target).map((m) => ({ body: m.text as unknown, at: m.at }))
        : discord.messages
            .filter((m) => m.target === s.target && m.via === (s.platform === 'discord' ? 'bot' : 'webhook'))
            .map((m) => ({ body: withoutCard(m), at: discordSeen.get(m.id) ?? Date.now() }));
    const partsOf = (brief: Brief, s: Sub): unknown[] =>
      s.platform === 'telegram' ? renderTelegram(brief) : renderDiscord(brief).map((p) => JSON.parse(JSON.stringify(p)) as unknown);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

    // --- first process: group A at its minute -------------------------------------------
    const first = startServe(env);
    const url1 = await first.url;
    const health = await fetch(`${url1}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ telegram: 'polling', subscribers: 20 });

    await waitFor(() => groupA.every((s) => received(s).length > 0), 'group A to get the brief', dueA - Date.now() + 60_000, first);
    // Let the last parts of multi-part briefs land.
    await new Promise((r) => setTimeout(r, 1500));
    // The scenario needs the kill between the two minutes (fails only on a very slow machine).
    expect(Date.now(), 'group A done before group B is due').toBeLessThan(dueB - 3_000);
    expect(groupB.every((s) => received(s).length === 0), 'group B got nothing early').toBe(true);

    // The gateway login failed against the fake; the process said so and went on delivering.
    expect(first.output()).toContain('discord bot could not start');
    // Gateway lookups retried with backoff (5 s, 10 s, 20 s ...), not a retry storm against the API.
    expect(discord.requests.filter((r) => r.path.includes('/gateway')).length).toBeLessThanOrEqual(6);
    expect(first.output()).not.toContain(discord.token);
    expect(first.output()).not.toContain(tg.token.split(':')[1]);

    // Metrics of this process: group A by platform, and its lag.
    const countsA = Object.fromEntries(platforms.map((p) => [p, groupA.filter((s) => s.platform === p).length]));
    for (const p of platforms) expect(await metricValue(url1, METRIC_NAMES.messagesSentTotal, p), p).toBe(countsA[p]);
    const lagCount = await Promise.all(platforms.map((p) => metricValue(url1, `${METRIC_NAMES.deliveryLagSeconds}_count`, p)));
    expect(lagCount.reduce((a, b) => a + b, 0)).toBe(groupA.length);

    first.proc.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    // --- down at group B's minute; the restart catches up ------------------------------
    await sleepUntil(dueB + 1_500);
    expect(groupB.every((s) => received(s).length === 0)).toBe(true);
    const second = startServe(env);
    const url2 = await second.url;
    await waitFor(() => groupB.every((s) => received(s).length > 0), 'group B to be caught up after the restart', 60_000, second);
    await new Promise((r) => setTimeout(r, 1500));

    // One brief for the morning (reused while fresh), written by the LLM.
    const check = openDb(dbFile);
    cleanups.push(() => void check.close());
    const briefIds = (check.prepare('SELECT DISTINCT brief_id AS id FROM deliveries').all() as { id: number }[]).map((r) => r.id);
    expect(briefIds).toHaveLength(1);
    const morning = getBrief(check, briefIds[0]!)!.brief;
    expect(morning.writer).toBe('llm');
    expect(morning.title).toBe(DRAFT.title);

    for (const s of subs) {
      const got = received(s);
      const parts = partsOf(morning, s);
      expect(got.length, `${s.platform} ${s.target}: every part exactly once`).toBe(parts.length);
      got.forEach((m, i) => expect(same(m.body, parts[i]), `${s.platform} ${s.target} part ${i}`).toBe(true));
      // Never before the subscriber's own time (group B: after the restart, i.e. after its time).
      expect(got[0]!.at, `${s.platform} ${s.target} in ${s.timezone} at ${s.deliveryTime}`).toBeGreaterThanOrEqual(s.dueAt);
    }
    expect(discord.violations).toEqual([]);
    expect(tg.stats.violations).toBe(0);
    // The market card (CARD_ENABLED, on by default) came first, once: a photo per Telegram chat, a file on each Discord chat's first post.
    for (const s of subs) {
      if (s.platform === 'telegram') expect(tg.photos.filter((p) => p.chatId === String(s.target)), `${s.target} card`).toHaveLength(1);
      else expect(discord.messages.filter((m) => m.target === s.target && m.files).length, `${s.platform} ${s.target} card`).toBe(1);
    }

    // --- the operator's trigger: a fresh brief to everyone now ---------------------------
    expect((await fetch(`${url2}/trigger`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${url2}/trigger`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const auth = { authorization: `Bearer ${TRIGGER_TOKEN}` };
    const trigger = await fetch(`${url2}/trigger`, { method: 'POST', headers: auth });
    // Answered at once; the run's progress and result are at GET /trigger/<id>.
    expect(trigger.status).toBe(202);
    const { url: runUrl } = (await trigger.json()) as { url: string };
    let result = { state: 'running', briefId: 0, delivered: 0 };
    const triggerDeadline = Date.now() + 120_000;
    while (result.state === 'running' && Date.now() < triggerDeadline) {
      await new Promise((r) => setTimeout(r, 100));
      result = (await (await fetch(`${url2}${runUrl}`, { headers: auth })).json()) as typeof result;
    }
    expect(result.state).toBe('done');
    expect(result.delivered).toBe(20);
    expect(result.briefId).not.toBe(briefIds[0]);
    const fresh = getBrief(check, result.briefId)!.brief;
    for (const s of subs) {
      const got = received(s);
      const parts = [...partsOf(morning, s), ...partsOf(fresh, s)];
      expect(got.length, `${s.platform} ${s.target} after the trigger`).toBe(parts.length);
      got.forEach((m, i) => expect(same(m.body, parts[i])).toBe(true));
    }

    // Metrics of the restarted process: messages by platform, at least the trigger's.
    const countsAll = Object.fromEntries(platforms.map((p) => [p, subs.filter((s) => s.platform === p).length]));
    for (const p of platforms) expect(await metricValue(url2, METRIC_NAMES.messagesSentTotal, p), p).toBeGreaterThanOrEqual(countsAll[p]!);
    expect((await fetch(`${url2}/healthz`)).status).toBe(200);

    // SIGTERM: a graceful stop.
    second.proc.kill('SIGTERM');
    expect(await second.exited, second.output().slice(-2000)).toBe(0);
  }, 300_000);
});
