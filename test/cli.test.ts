import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { startSourcesServer, type SourcesServer } from './fakes/sources-server.ts';
import { startFakeTelegram } from './fakes/telegram-server.ts';

const run = promisify(execFile);
let server: SourcesServer;
let dir: string;
let configPath: string;

beforeAll(async () => {
  server = await startSourcesServer();
  dir = mkdtempSync(join(tmpdir(), 'mb-cli-'));
  configPath = join(dir, 'config.json');
  const u = server.url;
  writeFileSync(
    configPath,
    JSON.stringify({
      db: join(dir, 'brief.db'),
      // The fixture day is in the past; keep its headlines in play.
      stories: { maxAgeHours: 24 * 365 * 10 },
      sources: {
        timeoutMs: 1500,
        deadlineMs: 4000,
        coingecko: { url: `${u}/coingecko/api/v3` },
        binance: { url: `${u}/binance` },
        fearGreed: { url: `${u}/fng/` },
        fred: { url: `${u}/fred/graph/fredgraph.csv` },
        polymarket: { url: `${u}/gamma` },
        etfFlows: { btcUrl: `${u}/farside/btc/`, ethUrl: `${u}/farside/eth/` },
        feeds: [
          { id: 'coindesk', name: 'CoinDesk', url: `${u}/feeds/coindesk` },
          { id: 'cointelegraph', name: 'Cointelegraph', url: `${u}/feeds/cointelegraph` },
          { id: 'fed-monetary', name: 'Federal Reserve', url: `${u}/feeds/fed-monetary`, weight: 1.6 },
        ],
      },
    }),
  );
});
afterAll(async () => {
  await server.close();
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(args, { stdout, stderr, env: { MORNING_BRIEF_CONFIG: configPath, ...env }, isTTY: false });
  return { code, out, err };
}

describe('morning-brief CLI', () => {
  it('run --json prints the brief with per-source statuses and stories, and stores it', async () => {
    const { code, out } = await cli(['run', '--json', '--writer', 'extractive']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out) as { brief: { title: string }; snapshot: { statuses: { id: string; ok: boolean }[] }; stories: unknown[]; runId: number };
    expect(parsed.brief.title).toMatch(/^Morning Brief \| /);
    expect(parsed.snapshot.statuses.map((s) => s.id)).toContain('coingecko');
    // Polymarket's fixture meeting lies in the fixture's past, so it is the one source that fails today.
    expect(parsed.snapshot.statuses.filter((s) => !s.ok).map((s) => s.id)).toEqual(['polymarket']);
    expect(parsed.stories.length).toBeGreaterThan(0);
    expect(parsed.runId).toBeGreaterThan(0);

    const history = await cli(['history']);
    expect(history.code).toBe(0);
    expect(history.out).toContain(parsed.brief.title.slice(0, 40));
    expect(history.out).toContain('extractive');

    const replay = await cli(['replay', String(parsed.runId), '--quiet', '--no-store']);
    expect(replay.code).toBe(0);
    expect(replay.out.startsWith('Morning Brief | ')).toBe(true);
    expect(replay.err).toBe('');
  });

  it('run --quiet prints only the brief', async () => {
    const { code, out, err } = await cli(['run', '--quiet']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Morning Brief \| /);
    expect(out).toContain('Sources:');
    expect(err).toBe('');
  });

  it('show explains a stored brief: writer and every source status', async () => {
    await cli(['run', '--quiet']);
    const { code, out } = await cli(['show', '1']);
    expect(code).toBe(0);
    expect(out).toContain('written by the extractive writer');
    expect(out).toMatch(/FAIL polymarket/);
    expect(out).toContain('Replay it: morning-brief replay 1');
  });

  it('answers a wrong argument with a helpful message and exit code 2', async () => {
    const missing = await cli(['replay', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('give a snapshot JSON file');

    const notSnapshot = join(dir, 'bad.json');
    writeFileSync(notSnapshot, JSON.stringify({ takenAt: 'yesterday', quotes: 'none' }));
    const bad = await cli(['replay', notSnapshot]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not a snapshot[\s\S]*takenAt[\s\S]*quotes/);

    const noRun = await cli(['replay', '9999']);
    expect(noRun.code).toBe(2);
    expect(noRun.err).toContain('No run with id 9999');

    const writer = await cli(['run', '--writer', 'poet']);
    expect(writer.code).toBe(2);
    expect(writer.err).toMatch(/Allowed choices are auto, llm, extractive/);

    const prompts = await cli(['replay', 'examples/snapshot.json', '--no-store', '--prompts', join(dir, 'no-prompts')]);
    expect(prompts.code).toBe(2);
    expect(prompts.err).toContain('missing system.md and user.md');

    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);

    const unknown = await cli(['brew']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command/);
  });

  it('stops on a bad config with every bad field named and exit code 2', async () => {
    const { code, err, out } = await cli(['run'], { PORT: 'eighty', OPENAI_BASE_URL: 'localhost:11434', SOURCE_RETRIES: '99' });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('server.port (PORT)');
    expect(err).toContain('llm.baseUrl (OPENAI_BASE_URL)');
    expect(err).toContain('sources.retries (SOURCE_RETRIES)');
  });

  it('feed reads a file and says why an HTML page is not a feed (exit 1)', async () => {
    const good = await cli(['feed', 'test/fixtures/feeds/feedparser--rss2sample.xml']);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/items/i);
    const html = await cli(['feed', 'test/fixtures/feeds/feedparser--notafeed.html']);
    expect(html.code).toBe(1);
    expect(html.err).toMatch(/not a feed/i);
  });

  it('run --post writes a brief and delivers it to every active subscriber; a second broadcast sends nothing twice', async () => {
    const tg = await startFakeTelegram();
    const env = { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, MORNING_BRIEF_DB: join(dir, 'post.db') };
    try {
      for (const chat of ['1001', '-1002003004005']) expect((await cli(['subscribers', 'add', 'telegram', chat], env)).code).toBe(0);
      const bad = await cli(['subscribers', 'add', 'telegram', 'not-a-chat'], env);
      expect(bad.code).toBe(2);
      const posted = await cli(['run', '--post', '--quiet'], env);
      expect(posted.code).toBe(0);
      expect(posted.err).toMatch(/to 2 subscribers: 2 sent/);
      expect(tg.messagesTo(1001).length).toBeGreaterThan(0);
      expect(tg.messagesTo('-1002003004005').length).toBe(tg.messagesTo(1001).length);
      expect(tg.messagesTo(1001)[0]!.text).toContain('<b>Morning Brief | ');
      const sent = tg.messagesTo(1001).length;
      const again = await cli(['broadcast'], env);
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/already queued or sent/);
      expect(tg.messagesTo(1001)).toHaveLength(sent);
    } finally {
      await tg.close();
    }
  });

  it('names a bad id argument instead of exiting 2 in silence; subscribers --help is help', async () => {
    for (const args of [['show', 'abc'], ['show', '0'], ['broadcast', 'latest']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/brief id "\w+" is not valid: expected a positive whole number/);
    }
    const help = await cli(['subscribers', '--help']);
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toMatch(/usage: subscribers list[\s\S]*usage: subscribers add[\s\S]*usage: subscribers remove/);
    const addHelp = await cli(['subscribers', 'add', '--help']);
    expect(addHelp).toMatchObject({ code: 0, err: '' });
    expect(addHelp.out).toMatch(/^usage: subscribers add <platform> <chat id>/);
  });

  it('run --post with every source down says so, exits 1 and sends subscribers nothing', async () => {
    const tg = await startFakeTelegram();
    // Nothing listens on port 9 of 127.0.0.1: every source fails at once, as with no network.
    const down = 'http://127.0.0.1:9';
    const offline = join(dir, 'offline.json');
    writeFileSync(
      offline,
      JSON.stringify({
        db: join(dir, 'offline.db'),
        sources: {
          retries: 0,
          coingecko: { url: `${down}/cg` },
          binance: { url: `${down}/binance` },
          fearGreed: { url: `${down}/fng/` },
          fred: { url: `${down}/fred` },
          polymarket: { url: `${down}/gamma` },
          etfFlows: { btcUrl: `${down}/btc/`, ethUrl: `${down}/eth/` },
          feeds: [{ id: 'coindesk', name: 'CoinDesk', url: `${down}/feed` }],
        },
      }),
    );
    const env = { MORNING_BRIEF_CONFIG: offline, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url };
    try {
      expect((await cli(['subscribers', 'add', 'telegram', '1001'], env)).code).toBe(0);
      const r = await cli(['run', '--post', '--quiet'], env);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^Morning Brief \| No market data, no news gathered/);
      expect(r.err).toContain('Every source failed: nothing was gathered (no network?)');
      expect(r.err).toContain('Not posted.');
      expect(tg.messages).toHaveLength(0);
    } finally {
      await tg.close();
    }
  });

  it('stops quietly when the reader of its output goes away (`show 1 | head -1`)', async () => {
    const child = spawn(process.execPath, ['bin/morning-brief.js', 'replay', 'examples/snapshot.json', '--no-store', '--writer', 'extractive'], {
      env: { ...process.env, OPENAI_API_KEY: '', MORNING_BRIEF_CONFIG: '' },
    });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('works as the installed `morning-brief` command: the demo replays the bundled snapshot', async () => {
    const { stdout, stderr } = await run(process.execPath, ['bin/morning-brief.js', 'replay', 'examples/snapshot.json', '--no-store', '--writer', 'extractive'], {
      env: { ...process.env, OPENAI_API_KEY: '', MORNING_BRIEF_CONFIG: '' },
    });
    expect(stdout).toMatch(/^Morning Brief \| ETH returns to \$3,000, /);
    expect(stdout).toContain('Fear & Greed 25');
    expect(stdout).toContain('Summary generated by');
    expect(stderr).toBe('');
  });
});
