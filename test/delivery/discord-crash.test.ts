/**
 * Crash safety holds for every platform at once: `broadcast` (configured only by the
 * environment, like the real CLI) sends one brief to Telegram chats, Discord channels and
 * Discord webhooks, is killed with SIGKILL mid-way several times and restarted; the fake
 * servers' records must then show every part in every chat exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDiscord } from '../../src/render/discord-embed.ts';
import { renderTelegram } from '../../src/render/telegram-html.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { outboxCounts, outboxRowsForBrief } from '../../src/store/outbox.ts';
import { listSubscribers, upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { twoPartBrief } from '../fixtures/discord/brief.ts';
import { addSubscribers, range, storeBrief, T0 } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./fixtures/broadcast-child.ts', import.meta.url));
const TELEGRAM_CHATS = range(10, 7001);
const CHANNELS = Array.from({ length: 10 }, (_, i) => `40000000000000000${i}`);

let tg: FakeTelegram | null = null;
let discord: FakeDiscord | null = null;
let db: Db | null = null;
let dir: string | null = null;
afterEach(async () => {
  await tg?.close();
  await discord?.close();
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  tg = discord = db = dir = null;
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function startChild(env: Record<string, string>): { proc: ChildProcess; exited: Promise<number | null>; output(): string } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, output: () => out };
}

function recorded(database: Db, briefId: number): number {
  return outboxRowsForBrief(database, briefId).reduce((n, r) => n + r.messageIds.length, 0);
}

describe('kill -9 mid-way through a mixed Telegram + Discord broadcast', () => {
  it('ends with exactly one copy of every part in every chat, channel and webhook', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mb-discord-crash-'));
    const file = join(dir, 'brief.db');
    db = openDb(file);
    // Two parts on both platforms, so kills land between parts too.
    const brief = twoPartBrief();
    const briefId = storeBrief(db, brief);
    const tgParts = renderTelegram(brief);
    const discordParts = renderDiscord(brief).map((p) => JSON.parse(JSON.stringify(p)) as unknown);
    expect(tgParts.length).toBeGreaterThan(1);
    expect(discordParts.length).toBeGreaterThan(1);

    tg = await startFakeTelegram({ globalPerSecond: 60, latencyMs: 10 });
    discord = await startFakeDiscord({ latencyMs: 10 });
    addSubscribers(db, TELEGRAM_CHATS);
    for (const c of CHANNELS) upsertSubscriber(db, { platform: 'discord', chatId: c, kind: 'channel' }, T0);
    const hooks = Array.from({ length: 6 }, () => discord!.addWebhook());
    for (const h of hooks) upsertSubscriber(db, { platform: 'discord-webhook', chatId: h.url, kind: 'webhook' }, T0);
    const total = TELEGRAM_CHATS.length * tgParts.length + (CHANNELS.length + hooks.length) * discordParts.length;

    const env = {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      TELEGRAM_MESSAGES_PER_SECOND: '60',
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_API_ROOT: discord.api,
      DISCORD_MESSAGES_PER_SECOND: '40',
      MORNING_BRIEF_DB: file,
      BRIEF_ID: String(briefId),
      DELIVERY_MAX_ATTEMPTS: '5',
      LOG_LEVEL: 'silent',
    };
    const accepted = () => tg!.stats.accepted + discord!.messages.length;

    let kills = 0;
    for (const step of [9, 14, 11]) {
      const child = startChild(env);
      const target = accepted() + step;
      await waitFor(() => accepted() >= target || accepted() >= total, `${target} accepted messages`);
      if (accepted() >= total) break;
      // Freeze both wires, let the child record every answer it got, then kill it with
      // sends in flight: those rows are left in 'sending' and were never processed.
      tg.hold();
      discord.hold();
      await waitFor(() => recorded(db!, briefId) === accepted(), 'the child to record every accepted message');
      child.proc.kill('SIGKILL');
      expect(await child.exited).toBeNull();
      kills++;
      await waitFor(() => tg!.heldCount() === 0 && discord!.heldCount() === 0, 'the dead child’s connections to close');
      tg.release();
      discord.release();
    }
    expect(kills).toBeGreaterThanOrEqual(2);

    const last = startChild(env);
    expect(await last.exited, last.output()).toBe(0);
    const report = JSON.parse(last.output().trim().split('\n').pop()!) as { failed: number };
    expect(report.failed).toBe(0);

    for (const chat of TELEGRAM_CHATS) {
      expect(tg.messagesTo(chat).map((m) => tgParts.indexOf(m.text)), `telegram ${chat}`).toEqual(tgParts.map((_, i) => i));
    }
    const indexOf = (body: unknown) => discordParts.findIndex((p) => JSON.stringify(p) === JSON.stringify(body));
    for (const c of CHANNELS) {
      const got = discord.messages.filter((m) => m.via === 'bot' && m.target === c).map((m) => indexOf(m.body));
      expect(got, `channel ${c}: each part once, in order`).toEqual(discordParts.map((_, i) => i));
    }
    for (const h of hooks) {
      const got = discord.messages.filter((m) => m.via === 'webhook' && m.target === h.id).map((m) => indexOf(m.body));
      expect(got, `webhook ${h.id}: each part once, in order`).toEqual(discordParts.map((_, i) => i));
    }
    expect(accepted()).toBe(total);
    expect(discord.violations).toEqual([]);
    const counts = outboxCounts(db, briefId);
    expect(counts).toMatchObject({ sent: TELEGRAM_CHATS.length + CHANNELS.length + hooks.length, pending: 0, sending: 0 });
    // The kills did land on sends in flight, and none doubled.
    expect(counts.ambiguous).toBeGreaterThan(0);
    // Stored ids are the ones Discord gave out.
    const subs = new Map(listSubscribers(db).map((s) => [s.id, s]));
    for (const row of outboxRowsForBrief(db, briefId)) {
      const sub = subs.get(row.subscriberId)!;
      if (sub.platform === 'discord') expect(row.messageIds).toEqual(discord.messages.filter((m) => m.target === sub.chatId).map((m) => m.id));
    }
  }, 120_000);
});
