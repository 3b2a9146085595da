/**
 * `serve` when Telegram refuses the token (or is unreachable) at start: it stays up, says so
 * in /healthz (degraded, which platform, since when), serves everything else, and retries
 * with backoff until Telegram answers (issue 11, obs 3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { createLogger } from '../src/log.ts';
import { startService } from '../src/service.ts';
import { configFor, startSourcesServer } from './fakes/sources-server.ts';
import { startFakeTelegram } from './fakes/telegram-server.ts';
import { startGateProxy } from './helpers/gate-proxy.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('serve with Telegram down at start', () => {
  it('stays up, reports telegram as degraded in /healthz, serves the rest, and retries with backoff until it is back', async () => {
    const sources = await startSourcesServer();
    const tg = await startFakeTelegram({ maxPollMs: 200 });
    const gate = await startGateProxy(tg.url);
    let telegramDown = true;
    gate.intercept = () => (telegramDown ? { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } } : null);
    const dir = mkdtempSync(join(tmpdir(), 'mb-svc-down-'));
    cleanups.push(() => sources.close(), () => tg.close(), () => gate.close(), () => rmSync(dir, { recursive: true, force: true }));

    // Start retries wait on this sleep: the test decides when the next attempt comes.
    const waits: { ms: number; go: () => void }[] = [];
    const sleep = (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        waits.push({ ms, go: resolve });
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const logs: string[] = [];
    const config = configFor(sources, {
      db: join(dir, 'brief.db'),
      telegram: { botToken: tg.token, apiRoot: gate.url },
      server: { port: 0, host: '127.0.0.1' },
    });
    const base = createApp(config);
    const app = { ...base, http: { ...base.http, sleep }, log: createLogger('info', { write: (line: string) => void logs.push(line) }) };
    const service = await startService(app);
    cleanups.push(() => service.stop('test over'));

    const health = async () => (await (await fetch(`${service.url}/healthz`)).json()) as Record<string, any>;
    const down = await health();
    expect(down.status).toBe('degraded');
    expect(down.degraded).toEqual(['telegram']);
    expect(down.platforms.telegram).toMatchObject({ state: 'down', failures: 1 });
    expect(down.platforms.telegram.error).toMatch(/401|Unauthorized/);
    expect(Date.parse(down.platforms.telegram.since)).not.toBeNaN();
    expect(JSON.stringify(down)).not.toContain(tg.token);
    expect(logs.join('\n')).not.toContain(tg.token);
    expect(logs.some((l) => l.includes('telegram bot could not start'))).toBe(true);
    // Everything else is served meanwhile.
    expect((await fetch(`${service.url}/briefs`)).status).toBe(200);

    // Backoff: each failed attempt waits longer than the one before.
    await waitFor(() => waits.length >= 1, 'the first retry wait');
    waits.shift()!.go();
    await waitFor(() => waits.length >= 1, 'the second retry wait');
    const since = (await health()).platforms.telegram.since;
    expect((await health()).platforms.telegram.failures).toBe(2);
    const second = waits.shift()!;
    expect(second.ms).toBeGreaterThan(5_000);

    telegramDown = false;
    second.go();
    await waitFor(async () => (await health()).status === 'ok', 'telegram to be up again');
    const up = await health();
    expect(up.telegram).toBe('polling');
    expect(up.platforms.telegram.state).toBe('up');
    expect(Date.parse(up.platforms.telegram.since)).toBeGreaterThanOrEqual(Date.parse(since));
    tg.userSays('/start', { id: 77, first_name: 'Zed' });
    await waitFor(() => tg.messagesTo(77).length === 1, 'the /start reply');
  });
});
