/**
 * The Telegram bot, driven the way a user drives it: commands go in through the fake Bot
 * API's getUpdates (long polling) or its webhook, and the test reads the replies the fake
 * recorded.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/bots/telegram-bot.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Brief } from '../../src/domain.ts';
import { createLogger } from '../../src/log.ts';
import { renderTelegram } from '../../src/render/telegram-html.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { recordDelivery } from '../../src/store/deliveries.ts';
import { insertBrief, insertRun, latestBrief } from '../../src/store/runs.ts';
import { getSubscriber, upsertSubscriber } from '../../src/store/subscribers.ts';
import { startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from '../fakes/telegram-server.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

const ALICE = { id: 111, first_name: 'Alice', username: 'alice' };
const BOB = { id: 222, first_name: 'Bob' };
const OPERATOR = { id: 99, first_name: 'Op' };
const GROUP = { id: -100500, type: 'supergroup' as const, title: 'Traders' };
const CHANNEL = { id: -100600, type: 'channel' as const, title: 'Daily <News> & Co' };

let tg: FakeTelegram;
let db: Db;
let bot: TelegramBot | null = null;
let logs: string[] = [];
let clock = new Date('2026-06-10T06:00:00Z');

afterEach(async () => {
  await bot?.stop('test over');
  bot = null;
  await tg.close();
  db.close();
});

interface Setup {
  env?: Record<string, string>;
  telegram?: Partial<Config['telegram']>;
  getLatestBrief?: (language: string) => Promise<Brief | null>;
  failSetMyCommands?: boolean;
  start?: boolean;
  broadcastNow?: () => Promise<string>;
  fake?: FakeTelegramOptions;
}

async function setup(options: Setup = {}): Promise<void> {
  // Replies are not paced by the delivery engine, so the fake allows short bursts per chat.
  tg = await startFakeTelegram({ globalPerSecond: 1000, perChatPerSecond: 50, perGroupPerMinute: 1000, maxPollMs: 300, ...options.fake });
  if (options.failSetMyCommands) tg.failSetMyCommands(true);
  db = openDb(':memory:');
  logs = [];
  clock = new Date('2026-06-10T06:00:00Z');
  const base = loadConfig({
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, TELEGRAM_ADMIN_IDS: String(OPERATOR.id), ...options.env },
  });
  const config: Config = { ...base, telegram: { ...base.telegram, briefWaitMs: 300, ...options.telegram } };
  bot = createTelegramBot({
    config,
    db,
    getLatestBrief: options.getLatestBrief ?? (async (language) => latestBrief(db, { language })?.brief ?? latestBrief(db)?.brief ?? null),
    log: createLogger('debug', { write: (line: string) => void logs.push(line) }),
    now: () => clock,
    ...(options.broadcastNow ? { broadcastNow: options.broadcastNow } : {}),
  });
  if (options.start !== false) await bot.start();
}

function storeBrief(brief: Brief = sampleBrief()): number {
  return insertBrief(db, insertRun(db, sampleSnapshot(), 'test', clock), brief, []);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Sends `text` as `from` (in a private chat unless `chat` is given) and returns the bot's next reply there. */
async function say(text: string, from: { id: number; first_name?: string } = ALICE, chat?: { id: number; type: 'private' | 'group' | 'supergroup' | 'channel'; title?: string }) {
  const chatId = chat?.id ?? from.id;
  const before = tg.messagesTo(chatId).length;
  tg.userSays(text, from, chat);
  await waitFor(() => tg.messagesTo(chatId).length > before, `a reply to ${text}`);
  return tg.messagesTo(chatId)[before]!.plain;
}

async function post(text: string, chat = CHANNEL) {
  const before = tg.messagesTo(chat.id).length;
  tg.channelPost(text, chat);
  await waitFor(() => tg.messagesTo(chat.id).length > before, `a reply to ${text}`);
  return tg.messagesTo(chat.id)[before]!.plain;
}

describe('a user in a private chat', () => {
  it('subscribes with /start and is told when the next brief comes', async () => {
    await setup();
    expect(tg.commands[0]).toEqual(expect.arrayContaining([{ command: 'start', description: 'Subscribe to the daily brief' }]));
    const reply = await say('/start');
    expect(reply).toContain('Subscribed: you will get the market brief every morning.');
    expect(reply).toContain('Next brief: Wed 10 Jun, 07:30 UTC (in 1 h 30 min).');
    expect(getSubscriber(db, 'telegram', String(ALICE.id))).toMatchObject({ kind: 'private', title: 'Alice', active: true });
    expect(await say('/start')).toContain('You are already subscribed.');
  });

  it('/time: a bad time is refused with what is accepted and changes nothing; a good one is saved', async () => {
    await setup();
    await say('/start');
    for (const bad of ['/time 25:99', '/time', '/time 7.30', '/time noon']) {
      expect(await say(bad)).toMatch(/Send the time as a 24-hour time HH:MM, e\.g\. 07:30 .*Nothing was changed\./);
    }
    expect(getSubscriber(db, 'telegram', String(ALICE.id))!.deliveryTime).toBe('07:30');
    const reply = await say('/time 6:45');
    expect(reply).toContain('Delivery time set to 06:45 UTC.');
    expect(reply).toContain('Next brief: Wed 10 Jun, 06:45 UTC (in 45 min).');
    expect(getSubscriber(db, 'telegram', String(ALICE.id))!.deliveryTime).toBe('06:45');
  });

  it('"Next brief" says what the scheduler will do: a passed time within the grace window comes now, a day already delivered not again', async () => {
    await setup();
    clock = new Date('2026-06-10T08:00:00Z');
    // 07:30 UTC passed half an hour ago and this chat has not had today's brief: the next tick sends it.
    expect(await say('/start')).toContain('Next brief: within a minute (07:30 UTC has passed and this chat has not had that day’s brief yet).');
    const sub = getSubscriber(db, 'telegram', String(ALICE.id))!;
    recordDelivery(db, sub.id, '2026-06-10', storeBrief(), clock);
    // Today's brief came: a later time today does not bring a second one.
    expect(await say('/time 09:00')).toContain('Next brief: Thu 11 Jun, 09:00 UTC (in 25 h).');
    expect(await say('/settings')).toContain('Next brief: Thu 11 Jun, 09:00 UTC (in 25 h).');
  });

  it('/timezone: IANA names and UTC offsets are accepted, anything else is refused', async () => {
    await setup();
    await say('/start');
    expect(await say('/timezone Mars/Olympus')).toMatch(/Send an IANA time zone like Europe\/Berlin .* or a whole-hour UTC offset like \+03:00 or UTC-5.*Nothing was changed/);
    expect(getSubscriber(db, 'telegram', String(ALICE.id))!.timezone).toBe('UTC');
    const tokyo = await say('/timezone asia/tokyo');
    expect(tokyo).toContain('Time zone set to Asia/Tokyo.');
    // 06:00 UTC is 15:00 in Tokyo: 07:30 there is tomorrow, 16 h 30 min away.
    expect(tokyo).toContain('Next brief: Thu 11 Jun, 07:30 Asia/Tokyo (in 16 h 30 min).');
    expect(await say('/timezone UTC-5')).toContain('Time zone set to UTC-05:00.');
    expect(getSubscriber(db, 'telegram', String(ALICE.id))!.timezone).toBe('Etc/GMT+5');
  });

  it('/lang, /topics and /settings', async () => {
    await setup();
    await say('/start');
    expect(await say('/lang xx')).toMatch(/two-letter language code.*Nothing was changed/);
    expect(await say('/lang de')).toBe('Brief language set to German (de). Until the operator configures an AI writer, briefs arrive in English.');
    expect(await say('/topics moon btc')).toMatch(/Unknown topic moon\. Send topics from: fed, macro.*Nothing was changed/);
    expect(await say('/topics btc, etf')).toBe('Topics: btc, etf.');
    const settings = await say('/settings');
    expect(settings).toContain('Time: 07:30 UTC');
    expect(settings).toContain('Language: German (de)');
    expect(settings).toContain('Topics: btc, etf');
    expect(await say('/topics all')).toBe('Topics: all.');
  });

  it('/stop unsubscribes; settings commands then ask for /start', async () => {
    await setup();
    await say('/start');
    expect(await say('/stop')).toContain('Unsubscribed');
    expect(getSubscriber(db, 'telegram', String(ALICE.id))).toMatchObject({ active: false, inactiveReason: 'stopped with /stop' });
    expect(await say('/time 08:00')).toBe('This chat is not subscribed yet: send /start first.');
    expect(await say('/start')).toContain('Subscribed');
  });

  it('/brief sends the latest brief now, then makes the chat wait for the cooldown', async () => {
    await setup();
    const brief = sampleBrief({ title: 'Morning Brief | <ETH> at $3,000 & rising' });
    storeBrief(brief);
    const before = tg.messagesTo(ALICE.id).length;
    tg.userSays('/brief', ALICE);
    await waitFor(() => tg.messagesTo(ALICE.id).length > before, 'the brief');
    const sent = tg.messagesTo(ALICE.id)[before]!;
    expect(sent.text).toBe(renderTelegram(brief)[0]);
    expect(sent.plain).toContain('Morning Brief | <ETH> at $3,000 & rising');
    expect(sent.params).toMatchObject({ parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    expect(await say('/brief')).toBe('You just got it; ask again in 60 s.');
    clock = new Date(clock.getTime() + 45_000);
    expect(await say('/brief')).toBe('You just got it; ask again in 15 s.');
    clock = new Date(clock.getTime() + 16_000);
    expect(await say('/brief')).toContain('Morning Brief | <ETH> at $3,000 & rising');
  });

  it('/brief answers within its bound when the brief is slow or missing', async () => {
    await setup({ getLatestBrief: () => new Promise(() => undefined) });
    expect(await say('/brief')).toBe('No brief is ready yet; try again in a few minutes.');
    // A failed attempt does not start the cooldown.
    expect(await say('/brief')).toBe('No brief is ready yet; try again in a few minutes.');
  });

  it('unknown commands get the help; /help lists the commands', async () => {
    await setup();
    expect(await say('/frobnicate')).toContain('Unknown command /frobnicate.');
    expect(await say('/help')).toContain('/timezone Europe/Berlin: your time zone');
  });
});

describe('groups and channels', () => {
  it('only group admins may change settings; everyone may read them', async () => {
    await setup();
    tg.setAdmins(GROUP.id, [ALICE.id]);
    expect(await say('/start', BOB, GROUP)).toBe('Only the group’s admins can change the brief here. Nothing was changed.');
    expect(getSubscriber(db, 'telegram', String(GROUP.id))).toBeNull();
    expect(await say('/start', ALICE, GROUP)).toContain('Subscribed');
    expect(getSubscriber(db, 'telegram', String(GROUP.id))).toMatchObject({ kind: 'supergroup', title: 'Traders' });
    expect(await say('/time 09:00', BOB, GROUP)).toMatch(/Only the group’s admins/);
    expect(await say('/stop', BOB, GROUP)).toMatch(/Only the group’s admins/);
    expect(getSubscriber(db, 'telegram', String(GROUP.id))).toMatchObject({ deliveryTime: '07:30', active: true });
    expect(await say('/settings', BOB, GROUP)).toContain('Time: 07:30 UTC');
    expect(await say('/time@morning_brief_bot 09:00', ALICE, GROUP)).toContain('Delivery time set to 09:00');
    // A command meant for another bot is not ours to answer.
    tg.userSays('/time@other_bot 10:00', ALICE, GROUP);
    expect(await say('/settings', ALICE, GROUP)).toContain('Time: 09:00 UTC');
  });

  it('a channel admin subscribes the channel with a channel post', async () => {
    await setup();
    const reply = await post('/subscribe');
    expect(reply).toContain('Subscribed');
    expect(getSubscriber(db, 'telegram', String(CHANNEL.id))).toMatchObject({ kind: 'channel', title: 'Daily <News> & Co', active: true });
    expect(await post('/timezone Europe/Berlin')).toContain('Time zone set to Europe/Berlin.');
    expect(await post('/unsubscribe')).toContain('Unsubscribed');
  });

  it('follows a group that became a supergroup', async () => {
    await setup();
    upsertSubscriber(db, { platform: 'telegram', chatId: '-42', kind: 'group' }, clock);
    tg.pushUpdate({ message: { message_id: 1, date: 0, chat: { id: -42, type: 'group', title: 'Old' }, migrate_to_chat_id: -10042 } });
    await waitFor(() => getSubscriber(db, 'telegram', '-10042') !== null, 'the migration');
    expect(getSubscriber(db, 'telegram', '-42')).toBeNull();
  });

  it('a user who blocks the bot is unsubscribed', async () => {
    await setup();
    await say('/start');
    tg.pushUpdate({
      my_chat_member: {
        chat: { id: ALICE.id, type: 'private', first_name: 'Alice' },
        from: ALICE,
        date: 0,
        old_chat_member: { status: 'member', user: { id: 123456789, is_bot: true, first_name: 'Morning Brief' } },
        new_chat_member: { status: 'kicked', until_date: 0, user: { id: 123456789, is_bot: true, first_name: 'Morning Brief' } },
      },
    });
    await waitFor(() => getSubscriber(db, 'telegram', String(ALICE.id))!.active === false, 'the block to be noticed');
  });
});

describe('operators', () => {
  it('/broadcast sends the latest brief to every active subscriber through the engine, and reports', async () => {
    await setup();
    const briefId = storeBrief();
    for (const id of [1001, 1002, 1003]) upsertSubscriber(db, { platform: 'telegram', chatId: String(id) }, clock);
    upsertSubscriber(db, { platform: 'telegram', chatId: '1004' }, clock);
    db.prepare("UPDATE subscribers SET active = 0 WHERE chat_id = '1004'").run();
    expect(await say('/broadcast', BOB)).toBe('That command is for the bot’s operators.');
    expect(tg.messagesTo(1001)).toHaveLength(0);
    expect(await say('/broadcast', OPERATOR)).toBe('Broadcasting the latest brief to 3 active subscribers…');
    await waitFor(() => tg.messagesTo(OPERATOR.id).length >= 2, 'the broadcast report');
    expect(tg.messagesTo(OPERATOR.id)[1]!.plain).toMatch(new RegExp(`^Brief #${briefId} \\(en\\) to 3: 3 sent in `));
    for (const id of [1001, 1002, 1003]) expect(tg.messagesTo(id).map((m) => m.text)).toEqual(renderTelegram(sampleBrief()));
    expect(tg.messagesTo(1004)).toHaveLength(0);
    const stats = await say('/stats', OPERATOR);
    expect(stats).toContain('Subscribers: 3 active (3 private), 1 inactive.');
    expect(stats).toMatch(new RegExp(`Latest brief #${briefId} \\(2026-06-10 06:00 UTC\\): 3 sent, 0 waiting, 0 dropped, 0 failed\\.`));
    expect(await say('/stats', BOB)).toBe('That command is for the bot’s operators.');
  });
});

describe('operators and a brief from no data', () => {
  it('/broadcast refuses a stored brief written when every source failed, and sends nothing', async () => {
    await setup();
    const empty = { ...sampleSnapshot(), quotes: [], headlines: [], statuses: [{ id: 'coingecko', ok: false, error: 'HTTP 500', ms: 1, items: 0, notModified: false, fallback: null }] };
    insertBrief(db, insertRun(db, empty, 'cli', clock), sampleBrief(), []);
    upsertSubscriber(db, { platform: 'telegram', chatId: '1001' }, clock);
    expect(await say('/broadcast', OPERATOR)).toBe('Every stored brief was written when every source failed (no news in it): nothing to broadcast.');
    expect(tg.messagesTo(1001)).toHaveLength(0);
  });
});

describe('operators in serve', () => {
  it('/broadcast goes through the service\'s broadcastNow (a fresh brief, the same path as POST /trigger) and reports back', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await setup({
      broadcastNow: async () => {
        calls++;
        await gate;
        return 'Brief #7 (en) written and sent: 20 sent.';
      },
    });
    expect(await say('/broadcast', BOB)).toBe('That command is for the bot’s operators.');
    expect(await say('/broadcast', OPERATOR)).toBe('Writing a fresh brief and sending it to every active subscriber…');
    // A second /broadcast while the first runs does not start another.
    expect(await say('/broadcast', OPERATOR)).toBe('A broadcast is already running; its report follows when it ends.');
    release();
    await waitFor(() => tg.messagesTo(OPERATOR.id).some((m) => m.plain.includes('20 sent')), 'the broadcast report');
    expect(calls).toBe(1);
  });
});

describe('replies at Telegram\'s per-chat limit', () => {
  it('a reply that gets a 429 waits out retry_after and still arrives (the /broadcast report right after its ack)', async () => {
    // Telegram's own pace: one message a second to a chat.
    await setup({ fake: { perChatPerSecond: 1 }, broadcastNow: async () => 'Brief #7 (en) sent to 20 subscribers.' });
    tg.userSays('/broadcast', OPERATOR);
    await waitFor(() => tg.messagesTo(OPERATOR.id).length >= 2, 'the ack and the report', 8_000);
    expect(tg.messagesTo(OPERATOR.id).map((m) => m.plain)).toEqual([
      'Writing a fresh brief and sending it to every active subscriber…',
      'Brief #7 (en) sent to 20 subscribers.',
    ]);
    expect(tg.stats.rateLimited).toBeGreaterThan(0);
    expect(tg.stats.violations).toBe(0);
    expect(logs.some((l) => l.includes('failed'))).toBe(false);
  });
});

describe('running', () => {
  it('a failing setMyCommands is logged, not fatal', async () => {
    await setup({ failSetMyCommands: true });
    expect(await say('/help')).toContain('A market morning brief');
    expect(logs.some((l) => l.includes('setMyCommands failed'))).toBe(true);
  });

  it('never puts the token in logs or errors', async () => {
    await setup();
    tg.failFor(ALICE.id, { kind: 'server_error' });
    tg.userSays('/help', ALICE);
    await waitFor(() => logs.some((l) => l.includes('telegram handler failed')), 'the failed reply to be logged');
    await bot!.stop();
    bot = null;
    const url = tg.url;
    await tg.close();
    // Start against a server that is gone: the error names the problem, not the token.
    const config = loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: url } });
    const dead = createTelegramBot({ config, db, getLatestBrief: async () => null, log: createLogger('debug', { write: (l: string) => void logs.push(l) }), now: () => clock });
    const error = await dead.start().then(() => null, (err: Error) => err);
    expect(error?.message).toMatch(/Telegram bot could not start: request to .*\/getMe failed/);
    expect(error?.message).not.toContain(tg.token.split(':')[1]);
    const secret = tg.token.split(':')[1]!;
    for (const line of logs) expect(line).not.toContain(secret);
    tg = await startFakeTelegram(); // for afterEach
  });

  it('webhook mode: sets the webhook and answers updates posted to it, checking the secret', async () => {
    await setup({ telegram: { webhookUrl: 'https://brief.example.com/tg/hook', webhookSecret: 's3cret-value' } });
    expect(tg.webhook).toEqual({ url: 'https://brief.example.com/tg/hook', secret: 's3cret-value' });
    expect(bot!.webhook?.path).toBe('/tg/hook');
    const server = createServer((req, res) => void bot!.webhook!.handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const deliver = (secret: string, update: object) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify(update);
        const req = request({ host: '127.0.0.1', port, path: '/tg/hook', method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    const update = (id: number, text: string) => ({
      update_id: id,
      message: { message_id: id, date: 0, chat: { id: ALICE.id, type: 'private', first_name: 'Alice' }, from: { ...ALICE, is_bot: false }, text, entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] },
    });
    expect(await deliver('wrong', update(1, '/start'))).toBe(401);
    expect(getSubscriber(db, 'telegram', String(ALICE.id))).toBeNull();
    expect(await deliver('s3cret-value', update(2, '/start'))).toBe(200);
    await waitFor(() => tg.messagesTo(ALICE.id).length === 1, 'the reply');
    expect(tg.messagesTo(ALICE.id)[0]!.plain).toContain('Subscribed');
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('webhook mode without TELEGRAM_WEBHOOK_SECRET: a random secret is given to setWebhook, a forged admin update gets 401 and no answer', async () => {
    await setup({ telegram: { webhookUrl: 'https://brief.example.com' } });
    const secret = tg.webhook!.secret!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const path = bot!.webhook!.path;
    expect(tg.webhook!.url).toBe(`https://brief.example.com${path}`);
    // Not guessable from the bot's name or the default path alone.
    expect(path).not.toBe('/telegram/webhook');
    expect(path).toMatch(/^\/telegram\/webhook\/[0-9a-f]{32}$/);
    expect(path.toLowerCase()).not.toContain('morning_brief_bot');
    expect(logs.join('\n')).not.toContain(path);
    const server = createServer((req, res) => void bot!.webhook!.handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const deliver = (headers: Record<string, string>, text: string, id: number) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({
          update_id: id,
          message: { message_id: id, date: 0, chat: { id: OPERATOR.id, type: 'private', first_name: 'Op' }, from: { ...OPERATOR, is_bot: false }, text, entities: [{ type: 'bot_command', offset: 0, length: text.length }] },
        });
        const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await deliver({}, '/stats', 1)).toBe(401);
    expect(await deliver({ 'x-telegram-bot-api-secret-token': `${secret.slice(0, -1)}x` }, '/stats', 2)).toBe(401);
    expect(await deliver({ 'x-telegram-bot-api-secret-token': '' }, '/stats', 3)).toBe(401);
    expect(tg.messagesTo(OPERATOR.id)).toHaveLength(0);
    expect(await deliver({ 'x-telegram-bot-api-secret-token': secret }, '/stats', 4)).toBe(200);
    await waitFor(() => tg.messagesTo(OPERATOR.id).length === 1, 'the /stats reply');
    expect(tg.messagesTo(OPERATOR.id)[0]!.plain).toContain('Subscribers:');
    await new Promise<void>((r) => server.close(() => r()));
  });
});
