import { ChatInputCommandInteraction, Client, GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleInteraction, type DiscordHandlerDeps } from '../../src/bots/discord-bot.ts';
import { loadConfig } from '../../src/config.ts';
import type { Brief } from '../../src/domain.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { recordDelivery } from '../../src/store/deliveries.ts';
import { insertBrief, insertRun, latestSendableBrief } from '../../src/store/runs.ts';
import { getSubscriber, listSubscribers } from '../../src/store/subscribers.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { seedBrief } from '../fixtures/discord/brief.ts';
import { sampleSnapshot } from '../helpers/sample-brief.ts';
import { fromPayload, loadInteraction, type RawInteraction, type RecordedInteraction } from '../fixtures/discord/interaction.ts';

const CHANNEL = '800000000000000001';
const EPHEMERAL = 64;
// 06:00 in Berlin on a Friday morning.
const NOW = new Date('2025-11-28T05:00:00.000Z');

let db: Db;
let latest: (language: string) => Promise<Brief | null>;
const config = loadConfig({ env: {} });

function deps(overrides: Partial<DiscordHandlerDeps> = {}): DiscordHandlerDeps {
  return { db, config, getLatestBrief: (lang) => latest(lang), now: () => NOW, ...overrides };
}

async function run(name: string, overrides: Partial<DiscordHandlerDeps> = {}): Promise<RecordedInteraction> {
  const interaction = fromPayload(loadInteraction(name));
  await handleInteraction(interaction, deps(overrides));
  return interaction;
}

/** The single reply a command gave, with its text. */
function onlyReply(i: RecordedInteraction): { content: string; flags: number } {
  expect(i.calls).toHaveLength(1);
  const call = i.calls[0]!;
  expect(call.method).toBe('reply');
  const body = call.body as { content?: string; flags?: number; allowedMentions?: unknown };
  expect(body.allowedMentions).toEqual({ parse: [] });
  return { content: body.content ?? '', flags: body.flags ?? 0 };
}

beforeEach(() => {
  db = openDb(':memory:');
  latest = async () => seedBrief();
});

describe('/subscribe', () => {
  it('refuses a member without Manage Channels, clearly and privately, and changes nothing', async () => {
    const reply = onlyReply(await run('subscribe-member'));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain('Manage Channels');
    expect(listSubscribers(db)).toEqual([]);
  });

  it('explains a bad time zone and changes nothing', async () => {
    const reply = onlyReply(await run('subscribe-bad-timezone'));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain('"Mars/Olympus\\_Mons" is not a time zone I know');
    expect(reply.content).toContain('Europe/Berlin');
    expect(reply.content).toContain('Nothing was changed');
    expect(listSubscribers(db)).toEqual([]);
  });

  it('explains a bad time and changes nothing', async () => {
    const reply = onlyReply(await run('subscribe-bad-time'));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain('"25:61" is not a time I understand');
    expect(reply.content).toContain('HH:MM');
    expect(listSubscribers(db)).toEqual([]);
  });

  it('says which permissions the bot lacks in a channel it cannot post in, and does not subscribe it', async () => {
    const reply = onlyReply(await run('subscribe-bot-cannot-post'));
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain("I can't post in <#800000000000000001>");
    expect(reply.content).toContain('Send Messages, Embed Links');
    expect(listSubscribers(db)).toEqual([]);
  });

  it('subscribes the channel with normalised settings and says when the next brief comes', async () => {
    const reply = onlyReply(await run('subscribe-moderator'));
    const sub = getSubscriber(db, 'discord', CHANNEL)!;
    expect(sub).toMatchObject({ active: true, kind: 'channel', deliveryTime: '07:30', timezone: 'Europe/Berlin', language: 'en' });
    // Public, so the channel sees it; 07:30 Berlin today is 06:30 UTC.
    expect(reply.flags).toBe(0);
    const next = Date.parse('2025-11-28T06:30:00.000Z') / 1000;
    expect(reply.content).toContain(`<#${CHANNEL}> now gets the morning brief every day at 07:30 (Europe/Berlin)`);
    expect(reply.content).toContain(`<t:${next}:R>`);
  });

  it('"Next" says what the scheduler will do: a passed time within the grace window comes now, a delivered day not again', async () => {
    // 08:00 in Berlin: 07:30 passed half an hour ago and the channel has not had today's brief.
    const late = new Date('2025-11-28T07:00:00.000Z');
    expect(onlyReply(await run('subscribe-moderator', { now: () => late })).content).toContain('Next: within a minute');
    const sub = getSubscriber(db, 'discord', CHANNEL)!;
    recordDelivery(db, sub.id, '2025-11-28', insertBrief(db, insertRun(db, sampleSnapshot(), 'test', late), seedBrief(), []), late);
    const again = fromPayload({ ...loadInteraction('subscribe-moderator'), data: { name: 'subscribe' } } as RawInteraction);
    await handleInteraction(again, deps({ now: () => late }));
    expect(onlyReply(again).content).toContain(`<t:${Date.parse('2025-11-29T06:30:00.000Z') / 1000}:R>`);
  });

  it('keeps earlier settings when run again without options', async () => {
    await run('subscribe-moderator');
    const again = fromPayload({ ...loadInteraction('subscribe-moderator'), data: { name: 'subscribe' } } as RawInteraction);
    await handleInteraction(again, deps());
    expect(onlyReply(again).content).toContain('was already subscribed');
    expect(getSubscriber(db, 'discord', CHANNEL)).toMatchObject({ deliveryTime: '07:30', timezone: 'Europe/Berlin' });
  });
});

describe('/settings and /unsubscribe', () => {
  it('shows settings to anyone, lets only moderators change them', async () => {
    expect(onlyReply(await run('settings-show')).content).toContain('not subscribed');
    await run('subscribe-moderator');
    const shown = onlyReply(await run('settings-show'));
    expect(shown.flags).toBe(EPHEMERAL);
    expect(shown.content).toContain('every day at 07:30 (Europe/Berlin)');

    const refused = onlyReply(await run('settings-member'));
    expect(refused.content).toContain('Manage Channels');
    expect(getSubscriber(db, 'discord', CHANNEL)!.deliveryTime).toBe('07:30');

    const saved = onlyReply(await run('settings-moderator'));
    expect(saved.content).toContain('Saved.');
    expect(getSubscriber(db, 'discord', CHANNEL)).toMatchObject({ timezone: 'Etc/GMT+5', language: 'de', deliveryTime: '07:30' });
  });

  it('/settings card:false turns the market card off for the channel, card:true back on', async () => {
    await run('subscribe-moderator');
    const withCard = (value: boolean) => {
      const raw = loadInteraction('settings-moderator');
      raw.data.options = [{ name: 'card', type: 5, value }];
      return fromPayload(raw);
    };
    const off = withCard(false);
    await handleInteraction(off, deps());
    expect(onlyReply(off).content).toContain('without the market card');
    expect(getSubscriber(db, 'discord', CHANNEL)).toMatchObject({ card: false, deliveryTime: '07:30', timezone: 'Europe/Berlin' });
    const on = withCard(true);
    await handleInteraction(on, deps());
    expect(onlyReply(on).content).not.toContain('without the market card');
    expect(getSubscriber(db, 'discord', CHANNEL)!.card).toBe(true);
  });

  it('unsubscribes the channel and says so when there is nothing to stop', async () => {
    await run('subscribe-moderator');
    expect(onlyReply(await run('unsubscribe-moderator')).content).toContain('no longer gets the morning brief');
    expect(getSubscriber(db, 'discord', CHANNEL)).toMatchObject({ active: false, inactiveReason: 'unsubscribed with /unsubscribe' });
    expect(onlyReply(await run('unsubscribe-moderator')).content).toContain('not subscribed');
    // /subscribe brings it back with its old settings.
    await run('subscribe-moderator');
    expect(getSubscriber(db, 'discord', CHANNEL)!.active).toBe(true);
  });
});

describe('/brief', () => {
  it('is deferred and private by default, then shows the brief as an embed', async () => {
    const i = await run('brief');
    expect(i.calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(i.calls[0]!.body).toEqual({ flags: EPHEMERAL });
    const edit = i.calls[1]!.body as { embeds: { title: string }[]; allowedMentions: unknown };
    expect(edit.embeds[0]!.title).toContain('ETH returns to $3,000');
    expect(edit.allowedMentions).toEqual({ parse: [] });
  });

  it('is public with public:true', async () => {
    const i = await run('brief-public');
    expect(i.calls[0]).toEqual({ method: 'deferReply', body: { flags: 0 } });
    expect(i.calls[1]!.method).toBe('editReply');
  });

  it("asks for the subscribed channel's language", async () => {
    await run('settings-moderator'); // not subscribed: refused, nothing changes
    await run('subscribe-moderator');
    await run('settings-moderator');
    const asked: string[] = [];
    await run('brief', { getLatestBrief: async (lang) => (asked.push(lang), seedBrief()) });
    expect(asked).toEqual(['de']);
  });

  it('says when there is no brief yet, or when it takes too long', async () => {
    latest = async () => null;
    const none = await run('brief');
    expect((none.calls[1]!.body as { content: string }).content).toContain('no brief yet');
    latest = () => new Promise((resolve) => setTimeout(() => resolve(seedBrief()), 400));
    const slow = await run('brief', { briefTimeoutMs: 50 });
    expect((slow.calls[1]!.body as { content: string }).content).toContain('still being written');
  });

  it('never shows a brief written when every source failed (what serve passes as getLatestBrief)', async () => {
    const empty = { ...sampleSnapshot(), quotes: [], headlines: [], statuses: [{ id: 'coingecko', ok: false, error: 'HTTP 500', ms: 1, items: 0, notModified: false, fallback: null }] };
    insertBrief(db, insertRun(db, empty, 'cli', NOW), seedBrief(), []);
    const none = await run('brief', { getLatestBrief: async (lang) => latestSendableBrief(db, lang, 'en')?.brief ?? null });
    expect((none.calls[1]!.body as { content: string }).content).toContain('no brief yet');
  });

  it('apologises instead of leaving the user hanging when something breaks', async () => {
    latest = async () => {
      throw new Error('database is locked');
    };
    const broken = await run('brief');
    expect((broken.calls[1]!.body as { content: string }).content).toContain('could not get the brief');
    const crashing = fromPayload(loadInteraction('subscribe-moderator'));
    await handleInteraction(crashing, deps({ db: null as unknown as Db }));
    const reply = onlyReply(crashing);
    expect(reply.flags).toBe(EPHEMERAL);
    expect(reply.content).toContain('Something went wrong');
  });
});

describe('through discord.js', () => {
  let discord: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    discord = await startFakeDiscord();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.api } });
  });
  afterAll(async () => {
    await client.destroy();
    await discord.close();
  });

  /** The interaction discord.js would build from the gateway payload. */
  function real(name: string): ChatInputCommandInteraction {
    return Reflect.construct(ChatInputCommandInteraction, [client, loadInteraction(name)]) as ChatInputCommandInteraction;
  }

  it('a refusal reaches Discord as an ephemeral interaction response', async () => {
    await handleInteraction(real('subscribe-member'), deps());
    const response = discord.interactionResponses.find((r) => r.interactionId === '1310000000000000012')!;
    expect(response.body.type).toBe(4);
    const data = response.body.data as { content: string; flags: number; allowed_mentions: unknown };
    expect(data.flags).toBe(EPHEMERAL);
    expect(data.content).toContain('Manage Channels');
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('reads options and permissions from the payload like the handlers expect', async () => {
    await handleInteraction(real('subscribe-moderator'), deps());
    expect(getSubscriber(db, 'discord', CHANNEL)).toMatchObject({ deliveryTime: '07:30', timezone: 'Europe/Berlin' });
  });

  it('/brief defers, then edits the original reply with the embed', async () => {
    const before = discord.interactionResponses.length;
    await handleInteraction(real('brief'), deps());
    const [deferred, edit] = discord.interactionResponses.slice(before);
    expect(deferred!.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(edit!.kind).toBe('edit');
    expect((edit!.body.embeds as { title: string }[])[0]!.title).toContain('ETH returns to $3,000');
    expect(discord.violations).toEqual([]);
  });
});
