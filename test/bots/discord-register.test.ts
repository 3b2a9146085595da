import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBroadcastCommand } from '../../src/commands/broadcast.ts';
import { runDiscordRegister } from '../../src/commands/discord.ts';
import { runSubscribersCommand } from '../../src/commands/subscribers.ts';
import { loadConfig } from '../../src/config.ts';
import { openDb } from '../../src/store/db.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { getSubscriber, listSubscribers } from '../../src/store/subscribers.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { seedBrief } from '../fixtures/discord/brief.ts';
import { sampleSnapshot } from '../helpers/sample-brief.ts';

let discord: FakeDiscord;

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { stdout, stderr, out: () => out, err: () => err };
}

function config(env: Record<string, string> = {}) {
  return loadConfig({
    env: { DISCORD_BOT_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_ROOT: discord.api, ...env },
  });
}

beforeAll(async () => {
  discord = await startFakeDiscord();
});
afterAll(async () => {
  await discord.close();
});

describe('morning-brief discord register', () => {
  it('bulk-overwrites the commands of one server with --guild', async () => {
    const out = io();
    const code = await runDiscordRegister({ guild: '900000000000000001' }, { config: config(), ...out });
    expect(code).toBe(0);
    expect(out.out()).toContain('Registered 5 commands in server 900000000000000001');
    const put = discord.commandPuts.at(-1)!;
    expect(put.guildId).toBe('900000000000000001');
    const body = put.body as { name: string; options?: { name: string; type: number }[]; contexts?: number[] }[];
    expect(body.map((c) => c.name)).toEqual(['brief', 'subscribe', 'unsubscribe', 'settings', 'broadcast']);
    expect(body[0]!.options).toEqual([expect.objectContaining({ name: 'public', type: 5 })]);
    expect(body[1]!.options!.map((o) => o.name)).toEqual(['time', 'timezone', 'language']);
    // Subscribing only makes sense in a server.
    expect(body[1]!.contexts).toEqual([0]);
    expect(discord.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/api/v10/applications/1100000000000000001/guilds/900000000000000001/commands', status: 200 });
    expect(discord.violations).toEqual([]);
  });

  it('registers globally without --guild', async () => {
    const out = io();
    expect(await runDiscordRegister({}, { config: config(), ...out })).toBe(0);
    expect(out.out()).toContain('Registered 5 global commands: /brief, /subscribe, /unsubscribe, /settings, /broadcast');
    expect(discord.commandPuts.at(-1)!.guildId).toBeNull();
    expect(discord.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/api/v10/applications/1100000000000000001/commands' });
  });

  it('says what is missing before calling Discord', async () => {
    const before = discord.requests.length;
    const out = io();
    const code = await runDiscordRegister({ guild: 'my-server' }, { config: loadConfig({ env: { DISCORD_API_ROOT: discord.api } }), ...out });
    expect(code).toBe(2);
    expect(out.err()).toContain('DISCORD_BOT_TOKEN is not set');
    expect(out.err()).toContain('DISCORD_APPLICATION_ID is not set');
    expect(out.err()).toContain('--guild "my-server" is not a server id');
    expect(discord.requests.length).toBe(before);
  });

  it('reports a rejected token without printing it', async () => {
    const out = io();
    const code = await runDiscordRegister({}, { config: config({ DISCORD_BOT_TOKEN: 'revoked-SECRET-token' }), ...out });
    expect(code).toBe(1);
    expect(out.err()).toContain('check DISCORD_BOT_TOKEN');
    expect(out.err()).not.toContain('SECRET');
  });
});

describe('morning-brief subscribers add discord / discord-webhook', () => {
  it('adds a channel by id and a webhook by URL, never printing the webhook token, and broadcast reaches both', async () => {
    const db = openDb(':memory:');
    try {
      const cfg = config({ DEFAULT_TIMEZONE: 'Europe/Berlin' });
      const hook = discord.addWebhook();
      const a = io();
      expect(runSubscribersCommand('add', ['discord', '123456789012345678', '--time', '08:15'], { db, config: cfg, ...a })).toBe(0);
      expect(a.out()).toContain('Subscribed discord channel 123456789012345678: brief at 08:15');
      const b = io();
      expect(runSubscribersCommand('add', ['discord-webhook', hook.url, '--lang', 'de'], { db, config: cfg, ...b })).toBe(0);
      expect(b.out()).toContain('Subscribed discord-webhook webhook');
      expect(b.out()).not.toContain(hook.token);
      expect(getSubscriber(db, 'discord-webhook', hook.url)).toMatchObject({ kind: 'webhook', language: 'de', timezone: 'Europe/Berlin' });

      const list = io();
      expect(runSubscribersCommand('list', [], { db, config: cfg, ...list })).toBe(0);
      expect(list.out()).toContain('123456789012345678');
      expect(list.out()).toContain('<redacted>');
      expect(list.out()).not.toContain(hook.token);
      const json = io();
      runSubscribersCommand('list', ['--json'], { db, config: cfg, ...json });
      expect(json.out()).not.toContain(hook.token);

      // The same engine delivers to both, with the brief in each one's language.
      const runId = insertRun(db, sampleSnapshot(), 'test', new Date());
      insertBrief(db, runId, seedBrief({ language: 'en' }), []);
      const deBrief = insertBrief(db, runId, seedBrief({ language: 'de', title: 'Morgen | BTC, ETH' }), []);
      const sent = io();
      expect(await runBroadcastCommand({ briefId: deBrief, platform: 'discord-webhook', json: true }, { db, config: cfg, ...sent })).toBe(0);
      const posted = discord.messages.filter((m) => m.target === hook.id);
      expect(posted).toHaveLength(1);
      expect(sent.out()).not.toContain(hook.token);

      const removed = io();
      expect(runSubscribersCommand('remove', ['discord-webhook', hook.url], { db, config: cfg, ...removed })).toBe(0);
      expect(removed.out()).not.toContain(hook.token);
      expect(listSubscribers(db, { platform: 'discord-webhook' })).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses what is not a channel id or a webhook URL, and changes nothing', () => {
    const db = openDb(':memory:');
    try {
      const a = io();
      expect(runSubscribersCommand('add', ['discord', '#markets'], { db, config: config(), ...a })).toBe(2);
      expect(a.err()).toContain('is not a Discord channel id');
      const b = io();
      expect(runSubscribersCommand('add', ['discord-webhook', 'https://example.com/hook?token=abc'], { db, config: config(), ...b })).toBe(2);
      expect(b.err()).toContain('is not a Discord webhook URL');
      expect(b.err()).not.toContain('abc');
      expect(listSubscribers(db)).toEqual([]);
    } finally {
      db.close();
    }
  });
});
