/** The market card on Discord: the first embed's image, attached to a bot or webhook post (multipart) or the archive's URL. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardForBrief } from '../../src/card/card.ts';
import { pngHeader } from '../../src/card/png.ts';
import { SnapshotSchema } from '../../src/domain.ts';
import { createDiscordChannelAdapter } from '../../src/delivery/discord.ts';
import type { DiscordCard } from '../../src/delivery/discord-card.ts';
import { createDiscordWebhookAdapter } from '../../src/delivery/discord-webhook.ts';
import { ATTACHMENT_LIMIT_BYTES, startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { seedBrief } from '../fixtures/discord/brief.ts';
import { sendContext, subscriber } from '../fixtures/discord/send.ts';

let discord: FakeDiscord;
let png: Uint8Array;
beforeAll(async () => {
  discord = await startFakeDiscord();
  const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.json', import.meta.url), 'utf8')));
  png = (await cardForBrief({ name: 'Morning Brief', dataAsOf: snapshot.takenAt, direction: 'up' }, snapshot))!;
});
afterAll(async () => {
  await discord.close();
});

const withBrief = (ctx: ReturnType<typeof sendContext>, briefId = 7) => Object.assign(ctx, { briefId });

describe('market card on Discord', () => {
  it('attaches the PNG to a webhook post as attachment://card.png (payload_json + files[0]), within the limit', async () => {
    const hook = discord.addWebhook();
    const asked: number[] = [];
    const hooks = createDiscordWebhookAdapter({
      fetch: globalThis.fetch,
      timeoutMs: 5000,
      cardFor: async (id): Promise<DiscordCard> => (asked.push(id), { kind: 'attachment', png }),
    });
    const result = await hooks.send(subscriber(hook.url, 'discord-webhook'), seedBrief(), withBrief(sendContext()));
    expect(asked).toEqual([7]);
    const posted = discord.messages.find((m) => m.id === result.messageIds[0])!;
    const embeds = posted.body.embeds as Array<{ image?: { url: string } }>;
    expect(embeds[0]!.image).toEqual({ url: 'attachment://card.png' });
    expect(posted.files).toHaveLength(1);
    expect(posted.files![0]).toMatchObject({ field: 'files[0]', filename: 'card.png', type: 'image/png' });
    expect(posted.files![0]!.bytes.length).toBeLessThan(ATTACHMENT_LIMIT_BYTES);
    expect(pngHeader(posted.files![0]!.bytes)).toMatchObject({ width: 1200, height: 675 });
    expect(discord.violations).toEqual([]);
  });

  it('without PUBLIC_URL, a bot channel gets the PNG attached (multipart payload_json + files[0]) and the rest of the brief as JSON', async () => {
    const channel = createDiscordChannelAdapter({ token: discord.token, apiRoot: discord.api, timeoutMs: 5000, cardFor: async () => ({ kind: 'attachment', png }) });
    const channelId = '223456789012345678';
    const result = await channel.send(subscriber(channelId), seedBrief(), withBrief(sendContext()));
    const posted = result.messageIds.map((id) => discord.messages.find((m) => m.id === id)!);
    expect(posted[0]).toMatchObject({ via: 'bot', target: channelId });
    expect((posted[0]!.body.embeds as Array<{ image?: { url: string } }>)[0]!.image).toEqual({ url: 'attachment://card.png' });
    expect(posted[0]!.files).toHaveLength(1);
    expect(posted[0]!.files![0]).toMatchObject({ field: 'files[0]', filename: 'card.png', type: 'image/png' });
    expect(Buffer.compare(posted[0]!.files![0]!.bytes, Buffer.from(png))).toBe(0);
    // Only the first message carries the card.
    for (const later of posted.slice(1)) expect(later.files).toBeUndefined();
    expect(discord.violations).toEqual([]);
    channel.close();
  });

  it('with PUBLIC_URL, bot channels and webhooks link the archive card and upload nothing', async () => {
    const url = 'https://brief.example.org/briefs/7/card.png';
    const cardFor = async (): Promise<DiscordCard> => ({ kind: 'url', url });
    const channel = createDiscordChannelAdapter({ token: discord.token, apiRoot: discord.api, timeoutMs: 5000, cardFor });
    const hook = discord.addWebhook();
    const hooks = createDiscordWebhookAdapter({ fetch: globalThis.fetch, timeoutMs: 5000, cardFor });
    const viaBot = await channel.send(subscriber('123456789012345678'), seedBrief(), withBrief(sendContext()));
    const viaHook = await hooks.send(subscriber(hook.url, 'discord-webhook'), seedBrief(), withBrief(sendContext()));
    for (const id of [viaBot.messageIds[0], viaHook.messageIds[0]]) {
      const posted = discord.messages.find((m) => m.id === id)!;
      expect((posted.body.embeds as Array<{ image?: { url: string } }>)[0]!.image).toEqual({ url });
      expect(posted.files).toBeUndefined();
    }
    channel.close();
  });

  it('a channel that said /card off gets the brief without the card', async () => {
    let asked = 0;
    const channel = createDiscordChannelAdapter({ token: discord.token, apiRoot: discord.api, timeoutMs: 5000, cardFor: async () => (asked++, { kind: 'attachment', png }) });
    const result = await channel.send({ ...subscriber('323456789012345678'), card: false }, seedBrief(), withBrief(sendContext()));
    const first = discord.messages.find((m) => m.id === result.messageIds[0])!;
    expect(asked).toBe(0);
    expect(first.files).toBeUndefined();
    expect((first.body.embeds as Array<{ image?: unknown }>)[0]!.image).toBeUndefined();
    channel.close();
  });

  it('a resumed send (first part already delivered) does not post the card again', async () => {
    const hook = discord.addWebhook();
    let asked = 0;
    const hooks = createDiscordWebhookAdapter({ fetch: globalThis.fetch, timeoutMs: 5000, cardFor: async () => (asked++, { kind: 'attachment', png }) });
    await hooks.send(subscriber(hook.url, 'discord-webhook'), seedBrief(), withBrief(sendContext(['111'])));
    expect(asked).toBe(0);
  });
});
