/**
 * Discord announcement channels through the fake Discord: a brief posted in a type-5 channel is
 * published (crossposted) after it is posted, at most 10 an hour per channel, and a failed
 * publish is retried later as a publish, never posted again as a new message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { publishAnnouncements } from '../../src/announce/publisher.ts';
import { createDiscordChannelAdapter } from '../../src/delivery/discord.ts';
import { Limiter } from '../../src/delivery/limiter.ts';
import { broadcastBrief } from '../../src/delivery/worker.ts';
import { silentLogger } from '../../src/log.ts';
import type { Db } from '../../src/store/db.ts';
import { crosspostCounts } from '../../src/store/crossposts.ts';
import { upsertSubscriber } from '../../src/store/subscribers.ts';
import { realSleep } from '../../src/util/http.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { memoryDb, storeBrief } from '../delivery/helpers.ts';

const ANNOUNCEMENTS = '200000000000000501';
const PLAIN = '200000000000000502';

let discord: FakeDiscord | null = null;
let db: Db | null = null;
afterEach(async () => {
  await discord?.close();
  db?.close();
  discord = null;
  db = null;
});

async function setup() {
  const start = new Date('2026-06-10T06:00:00Z');
  let clock = start;
  discord = await startFakeDiscord({ now: () => clock.getTime() });
  db = memoryDb();
  upsertSubscriber(db, { platform: 'discord', chatId: ANNOUNCEMENTS, kind: 'announcement' }, start);
  upsertSubscriber(db, { platform: 'discord', chatId: PLAIN, kind: 'channel' }, start);
  const fake = discord;
  const database = db;
  const adapter = createDiscordChannelAdapter({ token: fake.token, apiRoot: fake.api, timeoutMs: 2000 });
  const limiter = new Limiter({ globalPerSecond: 100, perChatPerSecond: 50, perGroupPerMinute: 1000, headroom: 1 }, { now: Date.now, sleep: realSleep });
  const deps = { adapters: [adapter], maxAttempts: 2, backoff: { baseMs: 10, maxMs: 20 }, limiters: new Map([['discord', limiter]]) };
  return {
    fake,
    database,
    sendBrief: () => broadcastBrief(database, storeBrief(database), deps),
    publish: () => publishAnnouncements({ db: database, token: fake.token, apiRoot: fake.api, fetch: globalThis.fetch, now: () => clock, log: silentLogger(), retryBaseMs: 60_000 }),
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
    postsTo: (channel: string) => fake.messages.filter((m) => m.target === channel).length,
    crosspostsOf: (channel: string) => fake.crossposts.filter((c) => c.channelId === channel).map((c) => c.messageId),
  };
}

describe('Discord announcement channels', () => {
  it('publishes a brief posted in an announcement channel, and only there', async () => {
    const t = await setup();
    const report = await t.sendBrief();
    expect(report.sent).toBe(2);
    expect(await t.publish()).toMatchObject({ published: 1, deferred: 0, failed: [] });
    const posted = t.fake.messages.filter((m) => m.target === ANNOUNCEMENTS).map((m) => m.id);
    expect(t.crosspostsOf(ANNOUNCEMENTS)).toEqual(posted);
    expect(t.crosspostsOf(PLAIN)).toEqual([]);
    // Publishing again finds nothing owed.
    expect(await t.publish()).toMatchObject({ published: 0, deferred: 0 });
    expect(t.crosspostsOf(ANNOUNCEMENTS)).toHaveLength(1);
  });

  it('keeps to 10 publishes an hour per channel: the 11th and 12th wait for the next slot', async () => {
    const t = await setup();
    for (let i = 0; i < 12; i++) await t.sendBrief();
    expect(await t.publish()).toMatchObject({ published: 10, deferred: 2 });
    expect(t.crosspostsOf(ANNOUNCEMENTS)).toHaveLength(10);
    t.advance(30 * 60_000);
    expect(await t.publish()).toMatchObject({ published: 0 });
    t.advance(31 * 60_000);
    expect(await t.publish()).toMatchObject({ published: 2, deferred: 0 });
    expect(t.crosspostsOf(ANNOUNCEMENTS)).toHaveLength(12);
    // Discord never had to refuse one for the quota.
    expect(t.fake.requests.filter((r) => r.path.endsWith('/crosspost') && r.status === 429)).toHaveLength(0);
  });

  it('a failed publish is retried later and reported, never posted again as a new message', async () => {
    const t = await setup();
    await t.sendBrief();
    const posts = t.postsTo(ANNOUNCEMENTS);
    t.fake.failNext(`crosspost:${ANNOUNCEMENTS}`, 502, 1);
    expect(await t.publish()).toMatchObject({ published: 0, deferred: 1 });
    // Not due yet: nothing is tried.
    expect(await t.publish()).toMatchObject({ published: 0, deferred: 0 });
    t.advance(61_000);
    expect(await t.publish()).toMatchObject({ published: 1 });
    expect(t.crosspostsOf(ANNOUNCEMENTS)).toHaveLength(1);
    expect(t.postsTo(ANNOUNCEMENTS)).toBe(posts);

    // A refused publish (the bot lacks Manage Messages) is reported and not retried.
    await t.sendBrief();
    t.fake.failNext(`crosspost:${ANNOUNCEMENTS}`, 403, 1);
    const refused = await t.publish();
    expect(refused.failed).toEqual([expect.objectContaining({ channelId: ANNOUNCEMENTS, error: expect.stringContaining('403') })]);
    t.advance(3600_000);
    expect(await t.publish()).toMatchObject({ published: 0, deferred: 0 });
    expect(crosspostCounts(t.database)).toEqual({ published: 1, failed: 1 });
    expect(t.postsTo(ANNOUNCEMENTS)).toBe(posts + 1);
  });
});
