/**
 * What an operator reads on a terminal: readable log lines (LOG_FORMAT, pretty on a TTY, JSON
 * otherwise) with secrets still redacted, and serve's first line naming what runs and what is off.
 */
import { describe, expect, it } from 'vitest';
import { describeServe } from '../../src/commands/serve-summary.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { prettyLine } from '../../src/log-pretty.ts';

function capture() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe('log format', () => {
  it('pretty: one readable line with time, level, message and fields; secrets still redacted', () => {
    const out = capture();
    const log = createLogger('info', out, { format: 'pretty' });
    log.warn({ source: 'fred', ms: 812, token: 'sk-live-123', platforms: { telegram: 'on', discord: 'off: no token' } }, 'source slow');
    log.error({ err: new Error('GET https://api.telegram.org/bot123456:ABCDEF/sendMessage failed') }, 'send failed');
    expect(out.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  source slow  source=fred ms=812 token="<redacted>" platforms\.telegram=on platforms\.discord="off: no token"\n$/);
    expect(out.lines[1]).toMatch(/^\S+ ERROR send failed  err=".*"\n$/);
    expect(out.lines.join('')).not.toContain('ABCDEF');
    expect(out.lines.join('')).not.toContain('sk-live-123');
  });

  it('auto: JSON lines when the output is not a terminal, pretty when it is', () => {
    const pipe = capture();
    createLogger('info', pipe).info({ runId: 3 }, 'brief stored');
    expect(JSON.parse(pipe.lines[0]!)).toMatchObject({ msg: 'brief stored', runId: 3, level: 30 });
    const tty = capture();
    createLogger('info', tty, { isTTY: true }).info({ runId: 3 }, 'brief stored');
    expect(tty.lines[0]).toMatch(/ INFO  brief stored  runId=3\n$/);
    const forced = capture();
    createLogger('info', forced, { format: 'json', isTTY: true }).info('x');
    expect(() => JSON.parse(forced.lines[0]!)).not.toThrow();
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(prettyLine('plain text\n')).toBe('plain text\n');
  });

  it('LOG_FORMAT is a setting: a wrong value is a config error that names it', () => {
    expect(loadConfig({ env: { LOG_FORMAT: 'pretty' } }).logFormat).toBe('pretty');
    expect(() => loadConfig({ env: { LOG_FORMAT: 'fancy' } })).toThrow(ConfigError);
    try {
      loadConfig({ env: { LOG_FORMAT: 'fancy' } });
    } catch (err) {
      expect((err as Error).message).toContain('LOG_FORMAT');
    }
  });
});

describe("serve's start line", () => {
  it('names the platforms on and off and why, the sources, the writer and the schedule, and no secret', () => {
    const config = loadConfig({
      env: {
        TELEGRAM_BOT_TOKEN: '123456:ABCDEF-secret-token',
        OPENAI_API_KEY: 'sk-secret-key-000',
        OPENAI_BASE_URL: 'https://user:pw@llm.example.com/v1',
        FRED_ENABLED: 'false',
      },
    });
    const summary = describeServe(config);
    expect(summary.platforms).toEqual({ telegram: 'on (long polling)', discord: 'off: DISCORD_BOT_TOKEN not set', discordWebhooks: 0 });
    expect(summary.sources.off).toEqual(['fred']);
    expect(summary.sources.on).toContain('coingecko');
    expect(summary.writer).toMatch(/^llm \S+ at llm\.example\.com$/);
    expect(summary.schedule).toContain('07:30 UTC');
    const text = JSON.stringify(summary);
    for (const secret of ['ABCDEF', 'sk-secret', 'user:pw', ':pw@']) expect(text).not.toContain(secret);
  });
});
