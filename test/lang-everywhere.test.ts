/**
 * `--lang` and a bot's language option go through one check, the one BRIEF_LANGUAGE and
 * `subscribers add --lang` use (issue 11, obs 13): `run --lang x` and `broadcast --lang ''`
 * were accepted silently.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { handleInteraction } from '../src/bots/discord-bot.ts';
import { main } from '../src/cli.ts';
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/store/db.ts';
import { getSubscriber } from '../src/store/subscribers.ts';
import { fromPayload, loadInteraction, type RawInteraction } from './fixtures/discord/interaction.ts';

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(args, { stdout, stderr, env, isTTY: false });
  return { code, out, err };
}

describe('--lang', () => {
  it('is refused with exit 2 and the accepted form by run, replay, broadcast and subscribers add, before anything runs', async () => {
    // No source is reachable: a command that got past the check would fail differently (exit 1).
    const env = { MORNING_BRIEF_DB: join(mkdtempSync(join(tmpdir(), 'mb-lang-')), 'brief.db'), COINGECKO_URL: 'http://127.0.0.1:9/x', LOG_LEVEL: 'silent' };
    for (const args of [
      ['run', '--lang', 'x'],
      ['run', '--lang', 'klingon'],
      ['replay', 'examples/snapshot.json', '--no-store', '--lang', 'xx'],
      ['broadcast', '--lang', ''],
      ['subscribers', 'add', 'telegram', '555', '--lang', 'x'],
    ]) {
      const r = await cli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain('a two-letter language code like en, de, es, zh');
      expect(r.out, args.join(' ')).toBe('');
    }
  });

  it('accepts what the bots accept, whatever the case', async () => {
    const r = await cli(['replay', 'examples/snapshot.json', '--no-store', '--quiet', '--lang', 'DE'], { LOG_LEVEL: 'silent' });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Morning Brief \| /);
  });
});

describe("Discord's language option", () => {
  it('refuses a code that is no language, as Telegram /lang and the CLI do', async () => {
    const db = openDb(':memory:');
    const raw = loadInteraction('subscribe-moderator');
    const options = (raw.data.options ?? []).map((o) => (o.name === 'language' ? { ...o, value: 'xx' } : o));
    const interaction = fromPayload({ ...raw, data: { ...raw.data, options } } as RawInteraction);
    await handleInteraction(interaction, { db, config: loadConfig({ env: {} }), getLatestBrief: async () => null, now: () => new Date('2026-06-10T06:00:00Z') });
    const body = interaction.calls[0]!.body as { content?: string };
    expect(body.content).toContain('"xx" is not a language code');
    expect(getSubscriber(db, 'discord', raw.channel?.id ?? raw.channel_id ?? '')).toBeNull();
    db.close();
  });
});
