import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiscordRegister } from '../../src/commands/discord.ts';
import { loadConfig } from '../../src/config.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';

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
    expect(out.out()).toContain('Registered 4 commands in server 900000000000000001');
    const put = discord.commandPuts.at(-1)!;
    expect(put.guildId).toBe('900000000000000001');
    const body = put.body as { name: string; options?: { name: string; type: number }[]; contexts?: number[] }[];
    expect(body.map((c) => c.name)).toEqual(['brief', 'subscribe', 'unsubscribe', 'settings']);
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
    expect(out.out()).toContain('Registered 4 global commands: /brief, /subscribe, /unsubscribe, /settings');
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
