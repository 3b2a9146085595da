import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordChannelAdapter, type DiscordChannelAdapter } from '../../src/delivery/discord.ts';
import { DISCORD_LIMITS, renderDiscord } from '../../src/render/discord-embed.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { oversizedBrief, seedBrief } from '../fixtures/discord/brief.ts';
import { sendContext, subscriber } from '../fixtures/discord/send.ts';

let discord: FakeDiscord;
const adapters: DiscordChannelAdapter[] = [];

function adapter(options: Partial<Parameters<typeof createDiscordChannelAdapter>[0]> = {}): DiscordChannelAdapter {
  const a = createDiscordChannelAdapter({ token: discord.token, apiRoot: discord.api, timeoutMs: 2000, ...options });
  adapters.push(a);
  return a;
}

/** Sends and returns the thrown error (the test fails if nothing is thrown). */
async function failure(a: DiscordChannelAdapter, chatId: string): Promise<unknown> {
  try {
    await a.send(subscriber(chatId), seedBrief(), sendContext());
  } catch (err) {
    return err;
  }
  throw new Error('expected the send to fail');
}

beforeAll(async () => {
  discord = await startFakeDiscord();
});
afterEach(() => {
  for (const a of adapters.splice(0)) a.close();
});
afterAll(async () => {
  await discord.close();
});

function requestsTo(channelId: string): number {
  return discord.requests.filter((r) => r.path === `/api/v10/channels/${channelId}/messages`).length;
}

describe('Discord bot-channel adapter', () => {
  it('posts the brief as an embed and returns the message id', async () => {
    const result = await adapter().send(subscriber('200000000000000001'), seedBrief(), sendContext());
    expect(result.messageIds).toHaveLength(1);
    const posted = discord.messages.find((m) => m.id === result.messageIds[0])!;
    expect(posted.target).toBe('200000000000000001');
    expect((posted.body.embeds as { title: string }[])[0]!.title).toContain('ETH returns to $3,000');
    expect(posted.pings).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  it.each([
    ['missing-access', 'Missing Access (50001)'],
    ['missing-permissions', 'Missing Permissions (50013)'],
    ['unknown', 'Unknown Channel (10003)'],
  ] as const)('a channel answering %s is gone for good', async (state, reason) => {
    const channel = `20000000000000001${state.length}`;
    discord.setChannel(channel, state);
    const a = adapter();
    expect(a.classify(await failure(a, channel))).toEqual({ kind: 'gone', reason });
  });

  it('hands a 429 to the engine with Discord\'s wait instead of waiting inside the send', async () => {
    const channel = '200000000000000020';
    discord.rateLimitNext(channel, { retryAfter: 0.35 });
    const a = adapter();
    const verdict = a.classify(await failure(a, channel));
    expect(verdict).toMatchObject({ kind: 'rate_limited', global: false });
    const afterMs = (verdict as { afterMs: number }).afterMs;
    // Never sooner than Discord asked; the header is rounded up to whole seconds.
    expect(afterMs).toBeGreaterThanOrEqual(350);
    expect(afterMs).toBeLessThanOrEqual(1100);
    expect(requestsTo(channel)).toBe(1);
  });

  it('reports a global rate limit as global', async () => {
    const channel = '200000000000000021';
    discord.rateLimitNext(channel, { retryAfter: 0.2, global: true });
    const a = adapter();
    expect(a.classify(await failure(a, channel))).toMatchObject({ kind: 'rate_limited', global: true });
  });

  it('tells the engine to wait when the route bucket is known to be empty, without asking Discord', async () => {
    const limited = await startFakeDiscord({ bucket: { limit: 1, windowMs: 5000 } });
    try {
      const a = adapter({ apiRoot: limited.api, token: limited.token });
      await a.send(subscriber('200000000000000030'), seedBrief(), sendContext());
      for (let i = 0; i < 3; i++) {
        expect(a.classify(await failure(a, '200000000000000030'))).toMatchObject({ kind: 'rate_limited', global: false });
      }
      // REST learns the bucket from the first answers, then refuses locally: 4 sends, fewer requests.
      expect(limited.requests.length).toBeLessThan(4);
      expect(limited.messages).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });

  it('retries a 5xx through the engine, not inside REST', async () => {
    const channel = '200000000000000040';
    discord.failNext(channel, 502);
    const a = adapter();
    expect(a.classify(await failure(a, channel))).toEqual({ kind: 'retry', afterMs: 1000 });
    expect(requestsTo(channel)).toBe(1);
    expect((await a.send(subscriber(channel), seedBrief(), sendContext())).messageIds).toHaveLength(1);
  });

  it('treats a rejected token as fatal and never puts it in the reason', async () => {
    const a = adapter({ token: 'wrong-token-SECRET' });
    const verdict = a.classify(await failure(a, '200000000000000050'));
    // Every channel would fail alike: the engine stops the whole drain.
    expect(verdict).toMatchObject({ kind: 'fatal', global: true });
    expect(JSON.stringify(verdict)).not.toContain('SECRET');
  });

  it('treats an unreachable API as a retry', async () => {
    const a = adapter({ apiRoot: 'http://127.0.0.1:9/api' });
    expect(a.classify(await failure(a, '200000000000000060')).kind).toBe('retry');
  });

  it('resumes a multi-message brief after a 429 without posting a part twice, pacing each part', async () => {
    const channel = '200000000000000070';
    const brief = oversizedBrief();
    const parts = renderDiscord(brief).length;
    expect(parts).toBeGreaterThan(2);
    const a = adapter();
    const before = discord.messages.length;
    discord.rateLimitNext(channel, { retryAfter: 0.05, skip: 1 });
    const firstTry = sendContext();
    const err = await a.send(subscriber(channel), brief, firstTry).then(
      () => null,
      (e: unknown) => e,
    );
    expect(a.classify(err)).toMatchObject({ kind: 'rate_limited' });
    // Part 1 went out and was reported at once; the engine asked before part 2.
    expect(firstTry.reported).toHaveLength(1);
    expect(firstTry.waits).toBe(1);
    const retry = sendContext(firstTry.reported);
    const result = await a.send(subscriber(channel), brief, retry);
    const posted = discord.messages.slice(before).filter((m) => m.target === channel);
    expect(posted).toHaveLength(parts);
    expect(result.messageIds).toEqual(posted.map((m) => m.id));
    expect(retry.reported).toEqual(result.messageIds.slice(1));
    // The first part this call sends was already paced by the engine; each later one asks.
    expect(retry.waits).toBe(parts - 2);
    expect(discord.violations).toEqual([]);
  });

  it('falls back to plain text when Discord rejects the embeds as an invalid form body', async () => {
    const channel = '200000000000000080';
    // Limits looser than Discord's: the embed breaks them, the text fallback does not.
    const a = adapter({ limits: { ...DISCORD_LIMITS, description: 9000, totalPerMessage: 9000 } });
    const brief = oversizedBrief();
    const before = discord.violations.length;
    const result = await a.send(subscriber(channel), brief, sendContext());
    expect(discord.violations.length).toBe(before + 1);
    const posted = discord.messages.filter((m) => m.target === channel);
    expect(posted.length).toBe(result.messageIds.length);
    for (const m of posted) {
      expect(m.body.embeds).toEqual([]);
      expect(String(m.body.content).length).toBeLessThanOrEqual(2000);
    }
  });
});
