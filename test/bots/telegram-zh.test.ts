/**
 * A Chinese subscriber with no LLM key configured (issue 18): `/lang zh`, then `/brief`, gets
 * the zh extractive brief written from the bundled Chinese snapshot; an English subscriber
 * still gets English. Through the fake Bot API and `serve`, with briefs stored by `replay`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { runServe, type Serving } from '../../src/commands/serve.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { getSubscriber } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';

let tg: FakeTelegram | null = null;
let db: Db | null = null;
let serving: Serving | null = null;
afterEach(async () => {
  await serving?.stop();
  serving = null;
  await tg?.close();
  db?.close();
});

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const sink = new PassThrough();
  sink.resume();
  return main(args, { stdout: sink, stderr: sink, env, isTTY: false });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`never saw ${what}`);
}

describe('a zh subscriber without an LLM key', () => {
  it('receives the Chinese brief; an English subscriber the English one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mb-zh-')), 'brief.db');
    const env = { MORNING_BRIEF_DB: file, LOG_LEVEL: 'silent' };
    expect(await cli(['replay', 'examples/snapshot.zh.json', '--lang', 'zh', '--quiet'], env)).toBe(0);
    expect(await cli(['replay', 'examples/snapshot.json', '--quiet'], env)).toBe(0);

    tg = await startFakeTelegram({ maxPollMs: 300 });
    db = openDb(file);
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url } });
    serving = await runServe(config, { db, log: silentLogger() });

    const zhUser = { id: 88, first_name: 'Li' };
    tg.userSays('/start', zhUser);
    await waitFor(() => tg!.messagesTo(88).length === 1, 'the /start reply');
    tg.userSays('/lang zh', zhUser);
    await waitFor(() => tg!.messagesTo(88).length === 2, 'the /lang reply');
    expect(tg.messagesTo(88)[1]!.plain).not.toContain('arrive in English');
    expect(getSubscriber(db, 'telegram', '88')?.language).toBe('zh');
    tg.userSays('/brief', zhUser);
    await waitFor(() => tg!.messagesTo(88).length >= 3, 'the zh brief');
    const zh = tg.messagesTo(88).slice(2).map((m) => m.plain).join('\n');
    expect(zh).toMatch(/^加密早报｜.+；.+/u);
    expect(zh).toContain('比特币现报91,235美元，24小时上涨1.6%。');
    expect(zh).toMatch(/据(?:PANews|ChainCatcher|深潮 TechFlow|BlockBeats|MarsBit|Odaily|吴说)报道，/u);
    expect(zh).toContain('未使用 AI 模型');
    expect(zh).toContain('来源：');
    expect(zh).not.toContain('Sources:');

    const enUser = { id: 77, first_name: 'Ann' };
    tg.userSays('/start', enUser);
    await waitFor(() => tg!.messagesTo(77).length === 1, 'the English /start reply');
    tg.userSays('/brief', enUser);
    await waitFor(() => tg!.messagesTo(77).length >= 2, 'the English brief');
    const en = tg.messagesTo(77).slice(1).map((m) => m.plain).join('\n');
    expect(en).toMatch(/^Morning Brief \| /u);
    expect(en).not.toContain('加密早报');
  });
});
