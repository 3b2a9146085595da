// Every time, zone, language and duration setting is checked when the config loads (issue 11, obs 1 and 13).
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

function problemsOf(env: NodeJS.ProcessEnv, file?: unknown): string[] {
  try {
    loadConfig({ env, ...(file ? { configPath: 'cfg.json', readFile: () => JSON.stringify(file) } : {}) });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('time, zone, language and duration settings', () => {
  it('names every bad one in one error, with the variable that set it', () => {
    const problems = problemsOf(
      {
        DEFAULT_TIMEZONE: 'Mars/Olympus',
        DEFAULT_DELIVERY_TIME: '25:00',
        BRIEF_LANGUAGE: 'xx',
        SOURCE_TIMEOUT_MS: '99999999999',
        CATCH_UP_GRACE_HOURS: '72',
        BRIEF_FRESH_MINUTES: '100000',
      },
      { delivery: { editions: [{ time: '6:45', timezone: 'Atlantis/Capital', language: 'klingon' }] } },
    );
    const fields = problems.map((p) => p.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining([
        'delivery.defaultTimezone (DEFAULT_TIMEZONE)',
        'delivery.defaultTime (DEFAULT_DELIVERY_TIME)',
        'language (BRIEF_LANGUAGE)',
        'sources.timeoutMs (SOURCE_TIMEOUT_MS)',
        'delivery.graceHours (CATCH_UP_GRACE_HOURS)',
        'delivery.freshMinutes (BRIEF_FRESH_MINUTES)',
        'delivery.editions.0.timezone',
        'delivery.editions.0.language',
      ]),
    );
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toContain('an IANA time zone such as Europe/Berlin');
  });

  it('accepts what the bots accept and stores it as they would', () => {
    const config = loadConfig({
      env: { DEFAULT_TIMEZONE: 'europe/berlin', DEFAULT_DELIVERY_TIME: '7:05', BRIEF_LANGUAGE: 'PT-br' },
      configPath: 'cfg.json',
      readFile: () => JSON.stringify({ delivery: { editions: [{ time: '06:45', timezone: 'UTC+3', language: 'zh-Hans' }] } }),
    });
    expect(config.delivery.defaultTimezone).toBe('Europe/Berlin');
    expect(config.delivery.defaultTime).toBe('07:05');
    expect(config.language).toBe('pt-BR');
    expect(config.delivery.editions[0]).toEqual({ time: '06:45', timezone: 'Etc/GMT-3', language: 'zh-Hans' });
  });
});

describe('a bad DEFAULT_TIMEZONE at the command line', () => {
  it('stops `subscribers add` with exit 2 before anything is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-cfgtz-'));
    const db = join(dir, 'brief.db');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await main(['subscribers', 'add', 'telegram', '555'], {
      stdout,
      stderr,
      env: { MORNING_BRIEF_DB: db, DEFAULT_TIMEZONE: 'Mars/Olympus' },
      isTTY: false,
    });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('delivery.defaultTimezone (DEFAULT_TIMEZONE)');
    expect(err).not.toContain('brief at');
    expect(existsSync(db)).toBe(false);
  });
});
