/**
 * The Discord operator command /broadcast: only user ids in discord.adminIds may run it; it
 * calls the injected broadcastNow (in `serve`: a fresh brief to every subscriber, the same
 * path as POST /trigger) and answers privately with its report.
 */
import { ChatInputCommandInteraction, Client, GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discordCommands, handleInteraction, type DiscordHandlerDeps } from '../../src/bots/discord-bot.ts';
import { loadConfig } from '../../src/config.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { fromPayload, type RawInteraction, type RecordedInteraction } from '../fixtures/discord/interaction.ts';

const OPERATOR = '700000000000000009';
const MEMBER = '700000000000000002';
const EPHEMERAL = 64;

/** A /broadcast as the gateway delivers it (shape recorded from a guild text channel). */
function payload(userId: string, id = '1310000000000000101'): RawInteraction {
  const raw = {
    app_permissions: '2147601472',
    application_id: '1100000000000000001',
    authorizing_integration_owners: { '0': '900000000000000001' },
    channel: { id: '800000000000000001', name: 'markets', type: 0, guild_id: '900000000000000001' },
    channel_id: '800000000000000001',
    context: 0,
    data: { id: '1200000000000000009', name: 'broadcast', type: 1 },
    entitlements: [],
    guild_id: '900000000000000001',
    guild_locale: 'en-US',
    id,
    locale: 'en-GB',
    member: {
      permissions: '2217856065',
      roles: [],
      joined_at: '2024-03-01T09:12:44.512000+00:00',
      user: { id: userId, username: `user${userId.slice(-2)}`, discriminator: '0', global_name: null, avatar: null, public_flags: 0 },
    },
    token: 'aW50ZXJhY3Rpb246MTMxMDAwMDAwMDAwMDAwMDEwMTpGQUtFVE9LRU4',
    type: 2,
    version: 1,
  };
  return raw as RawInteraction;
}

/** The recorded interaction with the invoking user, as discord.js exposes it (`interaction.user`). */
function recorded(userId: string): RecordedInteraction {
  const raw = payload(userId) as RawInteraction & { member: { user: { id: string } } };
  return Object.assign(fromPayload(raw), { user: { id: raw.member.user.id } });
}

let db: Db;
let calls: number;
let answer: () => Promise<string>;
const config = loadConfig({ env: { DISCORD_ADMIN_IDS: `700000000000000001, ${OPERATOR}` } });

function deps(overrides: Partial<DiscordHandlerDeps> = {}): DiscordHandlerDeps {
  return {
    db,
    config,
    getLatestBrief: async () => null,
    now: () => new Date('2025-11-28T05:00:00.000Z'),
    broadcastNow: () => {
      calls++;
      return answer();
    },
    ...overrides,
  };
}

beforeEach(() => {
  db = openDb(':memory:');
  calls = 0;
  answer = async () => 'Brief #7 (en) sent to 20 subscribers.';
});

describe('/broadcast', () => {
  it('is registered with the other commands', () => {
    expect(discordCommands().map((c) => c.name)).toContain('broadcast');
  });

  it('reads operators from DISCORD_ADMIN_IDS and rejects ids that are not snowflakes', () => {
    expect(config.discord.adminIds).toEqual(['700000000000000001', OPERATOR]);
    expect(() => loadConfig({ env: { DISCORD_ADMIN_IDS: '12,abc' } })).toThrow(/DISCORD_ADMIN_IDS/);
  });

  it('refuses everyone else privately and sends nothing', async () => {
    const i = recorded(MEMBER);
    await handleInteraction(i, deps());
    expect(calls).toBe(0);
    expect(i.calls).toHaveLength(1);
    expect(i.calls[0]).toMatchObject({ method: 'reply', body: { flags: EPHEMERAL, allowedMentions: { parse: [] } } });
    expect((i.calls[0]!.body as { content: string }).content).toContain('Only the operators');
  });

  it('refuses when no operator is configured at all', async () => {
    const i = recorded(OPERATOR);
    await handleInteraction(i, deps({ config: loadConfig({ env: {} }) }));
    expect(calls).toBe(0);
    expect((i.calls[0]!.body as { content: string }).content).toContain('Only the operators');
  });

  it('for an operator: defers privately, broadcasts once, and edits the reply with the report', async () => {
    const i = recorded(OPERATOR);
    await handleInteraction(i, deps());
    expect(calls).toBe(1);
    expect(i.calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(i.calls[0]!.body).toEqual({ flags: EPHEMERAL });
    expect(i.calls[1]!.body).toEqual({ content: 'Brief #7 (en) sent to 20 subscribers.', allowedMentions: { parse: [] } });
  });

  it('says what went wrong, without secrets, when the broadcast fails', async () => {
    answer = async () => {
      throw new Error('POST https://discord.com/api/webhooks/123456789012345678/SECRET-TOKEN failed: 500');
    };
    const i = recorded(OPERATOR);
    await handleInteraction(i, deps());
    const text = (i.calls[1]!.body as { content: string }).content;
    expect(text).toMatch(/^Broadcast failed: /);
    expect(text).not.toContain('SECRET-TOKEN');
  });
});

describe('/broadcast through discord.js', () => {
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

  const real = (userId: string, id: string) => Reflect.construct(ChatInputCommandInteraction, [client, payload(userId, id)]) as ChatInputCommandInteraction;

  it('takes the user from the payload: an operator gets an ephemeral deferral and the report', async () => {
    await handleInteraction(real(OPERATOR, '1310000000000000201'), deps());
    expect(calls).toBe(1);
    const responses = discord.interactionResponses.filter((r) => r.kind === 'edit' || r.interactionId === '1310000000000000201');
    expect(responses[0]!.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(responses[1]!.kind).toBe('edit');
    expect(responses[1]!.body.content).toBe('Brief #7 (en) sent to 20 subscribers.');
    expect(discord.violations).toEqual([]);
  });

  it('a member gets an ephemeral refusal', async () => {
    await handleInteraction(real(MEMBER, '1310000000000000202'), deps());
    expect(calls).toBe(0);
    const response = discord.interactionResponses.find((r) => r.interactionId === '1310000000000000202')!;
    expect(response.body.type).toBe(4);
    expect((response.body.data as { flags: number; content: string }).flags).toBe(EPHEMERAL);
    expect((response.body.data as { content: string }).content).toContain('Only the operators');
  });
});
