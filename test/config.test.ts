import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_COINS, ENV_PATHS, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('works with no configuration at all: every source on, default coins and feeds', () => {
    const config = loadConfig({ env: {} });
    expect(config.db).toBe('./data/morning-brief.db');
    expect(config.sources.coingecko.enabled).toBe(true);
    expect(config.sources.coingecko.coins.map((c) => c.symbol)).toEqual(['BTC', 'ETH', 'SOL', 'XRP', 'BNB']);
    expect(config.sources.feeds.map((f) => f.id)).toContain('fed-monetary');
    expect(config.llm.apiKey).toBeUndefined();
    expect(Object.isFrozen(config.sources)).toBe(true);
  });

  it('reads the environment over the config file', () => {
    const file = JSON.stringify({
      briefName: 'Desk Brief',
      sources: { feeds: [{ id: 'mine', name: 'Mine', url: 'http://127.0.0.1:1/feed.xml' }], fred: { enabled: false } },
    });
    const config = loadConfig({
      env: { MORNING_BRIEF_DB: '/tmp/x.db', COINGECKO_URL: 'http://127.0.0.1:9/api/v3', COINS: 'bitcoin:btc:Bitcoin,solana:SOL', BRIEF_NAME: 'Env Brief' },
      configPath: 'cfg.json',
      readFile: () => file,
    });
    expect(config.briefName).toBe('Env Brief');
    expect(config.db).toBe('/tmp/x.db');
    expect(config.sources.fred.enabled).toBe(false);
    expect(config.sources.feeds).toEqual([{ id: 'mine', name: 'Mine', url: 'http://127.0.0.1:1/feed.xml', weight: 1, enabled: true }]);
    expect(config.sources.coingecko.url).toBe('http://127.0.0.1:9/api/v3');
    expect(config.sources.coingecko.coins).toEqual([
      { id: 'bitcoin', symbol: 'BTC', name: 'Bitcoin' },
      { id: 'solana', symbol: 'SOL', name: 'SOL' },
    ]);
  });

  it('names every bad field in one error, with the variable that set it', () => {
    const file = JSON.stringify({ sources: { feeds: [{ id: 'Bad Id', name: '', url: 'ftp://x' }] } });
    let error: unknown;
    try {
      loadConfig({
        env: { SOURCE_TIMEOUT_MS: 'soon', COINGECKO_URL: 'not a url', TELEGRAM_PAID_BROADCAST: 'maybe', PORT: '99999' },
        configPath: 'cfg.json',
        readFile: () => file,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const field of [
      'sources.timeoutMs (SOURCE_TIMEOUT_MS)',
      'sources.coingecko.url (COINGECKO_URL)',
      'telegram.paidBroadcast (TELEGRAM_PAID_BROADCAST)',
      'server.port (PORT)',
      'sources.feeds.0.id',
      'sources.feeds.0.name',
      'sources.feeds.0.url',
    ]) {
      expect(message).toContain(field);
    }
    expect((error as ConfigError).problems.length).toBe(7);
  });

  it('reports an unreadable or non-object config file instead of ignoring it', () => {
    expect(() => loadConfig({ env: {}, configPath: 'x.json', readFile: () => '{ nope' })).toThrow(/x\.json: .*JSON/);
    expect(() => loadConfig({ env: {}, configPath: 'x.json', readFile: () => '[1]' })).toThrow(/must hold a JSON object/);
  });

  it('never puts a secret value in the error message', () => {
    const secret = '123456:ABCdefSECRET';
    try {
      loadConfig({ env: { TELEGRAM_BOT_TOKEN: secret, TELEGRAM_API_ROOT: 'nope' } });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('telegram.apiRoot');
      expect((err as Error).message).not.toContain(secret);
    }
  });

  it('keeps the default coin list complete', () => {
    expect(DEFAULT_COINS.length).toBeGreaterThanOrEqual(5);
  });
});

describe('.env.example', () => {
  it('lists every variable the config reads, and only those', () => {
    const listed = [...readFileSync('.env.example', 'utf8').matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    expect(listed.filter((name) => !(name in ENV_PATHS) && name !== 'MORNING_BRIEF_CONFIG')).toEqual([]);
    expect(Object.keys(ENV_PATHS).filter((name) => !listed.includes(name))).toEqual([]);
  });
});

describe('config file keys', () => {
  it('names a misspelt or misplaced setting instead of ignoring it', () => {
    const file = JSON.stringify({ briefname: 'Desk Brief', port: 8080, sources: { feeds: [{ id: 'cd', name: 'CoinDesk', url: 'https://example.com/rss', wieght: 2 }] }, _comment: 'notes are fine' });
    expect(() => loadConfig({ env: {}, configPath: 'desk.json', readFile: () => file })).toThrow(ConfigError);
    try {
      loadConfig({ env: {}, configPath: 'desk.json', readFile: () => file });
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'briefname: unknown setting in desk.json',
        'port: unknown setting in desk.json',
        'sources.feeds.0.wieght: unknown setting in desk.json',
      ]);
    }
    const good = JSON.stringify({ briefName: 'Desk Brief', server: { port: 8080 }, _comment: 'notes are fine' });
    expect(loadConfig({ env: {}, configPath: 'desk.json', readFile: () => good }).briefName).toBe('Desk Brief');
  });
});
