import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDiscordWebhookAdapter,
  isDiscordWebhookUrl,
  webhookPostUrl,
} from '../../src/delivery/discord-webhook.ts';
import { startServer } from '../fakes/http-server.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { seedBrief } from '../fixtures/discord/brief.ts';
import { sendContext, subscriber } from '../fixtures/discord/send.ts';

let discord: FakeDiscord;
const hooks = () => createDiscordWebhookAdapter({ fetch: globalThis.fetch, timeoutMs: 2000 });

async function failure(chatId: string, adapter = hooks()): Promise<unknown> {
  try {
    await adapter.send(subscriber(chatId, 'discord-webhook'), seedBrief(), sendContext());
  } catch (err) {
    return err;
  }
  throw new Error('expected the send to fail');
}

beforeAll(async () => {
  discord = await startFakeDiscord();
});
afterAll(async () => {
  await discord.close();
});

describe('Discord webhook adapter', () => {
  it('posts with ?wait=true and returns the message id', async () => {
    const hook = discord.addWebhook();
    const result = await hooks().send(subscriber(hook.url, 'discord-webhook'), seedBrief(), sendContext());
    expect(result.messageIds).toHaveLength(1);
    const posted = discord.messages.find((m) => m.id === result.messageIds[0])!;
    expect(posted).toMatchObject({ via: 'webhook', target: hook.id, pings: [] });
    expect((posted.body.embeds as unknown[]).length).toBe(1);
    expect(discord.violations).toEqual([]);
  });

  it('a deleted webhook (404 Unknown Webhook) is gone, and its token stays out of the error', async () => {
    const hook = discord.addWebhook();
    discord.deleteWebhook(hook.id);
    const adapter = hooks();
    const err = await failure(hook.url, adapter);
    expect(adapter.classify(err)).toEqual({ kind: 'gone', reason: 'Unknown Webhook (10015)' });
    expect(String(err)).not.toContain(hook.token);
    expect(String(err)).toContain('<redacted>');
  });

  it('a webhook whose token was reset (401) is gone too', async () => {
    const hook = discord.addWebhook();
    const adapter = hooks();
    const err = await failure(hook.url.replace(hook.token, 'old-token'), adapter);
    expect(adapter.classify(err)).toEqual({ kind: 'gone', reason: 'Invalid Webhook Token (50027)' });
  });

  it('a 429 is rate_limited with the precise retry_after from the body', async () => {
    const hook = discord.addWebhook();
    discord.rateLimitNext(hook.id, { retryAfter: 0.35 });
    const adapter = hooks();
    expect(adapter.classify(await failure(hook.url, adapter))).toEqual({ kind: 'rate_limited', afterMs: 350, global: false });
    discord.rateLimitNext(hook.id, { retryAfter: 1.5, global: true });
    expect(adapter.classify(await failure(hook.url, adapter))).toEqual({ kind: 'rate_limited', afterMs: 1500, global: true });
    // After the wait it goes through.
    expect((await adapter.send(subscriber(hook.url, 'discord-webhook'), seedBrief(), sendContext())).messageIds).toHaveLength(1);
  });

  it('a 5xx or an unreachable host is retried later', async () => {
    const hook = discord.addWebhook();
    discord.failNext(hook.id, 503);
    const adapter = hooks();
    expect(adapter.classify(await failure(hook.url, adapter)).kind).toBe('retry');
    const err = await failure(`http://127.0.0.1:9/api/webhooks/1/SECRET-token`, adapter);
    expect(adapter.classify(err).kind).toBe('retry');
    expect(String(err)).not.toContain('SECRET-token');
  });

  it('a webhook that does not answer in time is retried later, token redacted', async () => {
    const slow = await startServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      res.end('{}');
    });
    try {
      const adapter = createDiscordWebhookAdapter({ fetch: globalThis.fetch, timeoutMs: 100 });
      const err = await failure(`${slow.url}/api/webhooks/123/SLOW-secret`, adapter);
      expect(adapter.classify(err)).toEqual({ kind: 'retry', afterMs: 1000 });
      expect(String(err)).toMatch(/timed out/);
      expect(String(err)).not.toContain('SLOW-secret');
    } finally {
      await slow.close();
    }
  });

  it('an answer without a message id is not taken as delivered', async () => {
    const odd = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    try {
      const adapter = hooks();
      const err = await failure(`${odd.url}/api/webhooks/123/tok`, adapter);
      expect(adapter.classify(err).kind).toBe('fatal');
    } finally {
      await odd.close();
    }
  });
});

describe('webhook URLs', () => {
  it('recognises channel webhook URLs as users paste them', () => {
    expect(isDiscordWebhookUrl('https://discord.com/api/webhooks/123456789/abcDEF_-.x')).toBe(true);
    expect(isDiscordWebhookUrl('https://canary.discord.com/api/v10/webhooks/1/t')).toBe(true);
    expect(isDiscordWebhookUrl('https://discord.com/channels/1/2')).toBe(false);
    expect(isDiscordWebhookUrl('ftp://discord.com/api/webhooks/1/t')).toBe(false);
    expect(isDiscordWebhookUrl('not a url')).toBe(false);
  });

  it('adds wait=true and keeps a thread id', () => {
    expect(webhookPostUrl('https://discord.com/api/webhooks/1/t?thread_id=9')).toBe(
      'https://discord.com/api/webhooks/1/t?thread_id=9&wait=true',
    );
  });
});
