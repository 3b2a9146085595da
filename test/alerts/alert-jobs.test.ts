/** Operator alerts: each job's threshold, the Discord webhook destination, dedupe and the hourly cap. */
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertMonitor } from '../../src/alerts/monitor.ts';
import { createAlertNotifier } from '../../src/alerts/notifier.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics, METRIC_NAMES, type Metrics } from '../../src/metrics.ts';
import type { Db } from '../../src/store/db.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { realSleep } from '../../src/util/http.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-server.ts';
import { memoryDb } from '../delivery/helpers.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

let discord: FakeDiscord | null = null;
let db: Db | null = null;
afterEach(async () => {
  await discord?.close();
  db?.close();
  discord = null;
  db = null;
});

async function setup(env: Record<string, string> = {}) {
  discord = await startFakeDiscord();
  const hook = discord.addWebhook('300000000000000001');
  db = memoryDb();
  let clock = new Date('2026-06-10T07:00:00Z');
  const metrics = createMetrics({ defaultMetrics: false });
  const config = loadConfig({ env: { ALERT_DISCORD_WEBHOOK_URL: hook.url, ...env } });
  const monitor = createAlertMonitor({ db, config, fetch: globalThis.fetch, sleep: realSleep, now: () => clock, log: silentLogger(), metrics });
  const fake = discord;
  const database = db;
  return {
    monitor,
    metrics,
    alerts: () => fake.messages.filter((m) => m.target === hook.id).map((m) => String(m.body.content)),
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
    /** A brief written by the LLM, or by the extractive writer after the LLM failed. */
    async brief(fellBack: boolean) {
      const runId = insertRun(database, sampleSnapshot(clock.toISOString()), 'schedule', clock);
      const brief = sampleBrief({ createdAt: clock.toISOString(), writer: fellBack ? 'extractive' : 'llm', writerReason: fellBack ? 'llm: timeout after 60000 ms' : null });
      const briefId = insertBrief(database, runId, brief, []);
      await this.monitor.afterRun({ runId, briefId });
    },
  };
}

async function sent(metrics: Metrics): Promise<Record<string, number>> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === METRIC_NAMES.alertsTotal)!;
  const values = metric.values as { value: number; labels: Record<string, string> }[];
  return Object.fromEntries(values.filter((v) => v.labels.outcome === 'sent').map((v) => [v.labels.kind, v.value]));
}

describe('alert jobs', () => {
  it('the LLM falling back on 3 briefs in a row: one alert at the 3rd, one when it writes again', async () => {
    const t = await setup();
    await t.brief(true);
    await t.brief(true);
    expect(t.alerts()).toEqual([]);
    await t.brief(true);
    await t.brief(true);
    expect(t.alerts()).toEqual([expect.stringContaining('the LLM writer fell back to the extractive brief 3 times in a row (last reason: llm: timeout')]);
    await t.brief(false);
    expect(t.alerts()).toHaveLength(2);
    expect(t.alerts()[1]).toContain('the LLM writer wrote brief');
    expect(await sent(t.metrics)).toEqual({ llm_fallback: 1, llm_recovered: 1 });
  });

  it('a delivery failing for more than the threshold share, skipped mornings and a rejected token', async () => {
    const t = await setup({ ALERT_DELIVERY_FAILED_PERCENT: '25' });
    await t.monitor.afterDelivery({ sent: 8, failed: 2, dropped: 5 }, 'brief #4');
    expect(t.alerts()).toEqual([]);
    await t.monitor.afterDelivery({ sent: 6, failed: 4, dropped: 0 }, 'brief #5');
    expect(t.alerts()).toEqual([expect.stringContaining('delivery of brief #5 failed for 4 of 10 subscribers (40%, threshold 25%)')]);
    await t.monitor.afterTick({ skipped: 3, failed: [] });
    expect(t.alerts()[1]).toContain('3 subscriber mornings were skipped on 2026-06-10');
    const down = { state: 'down' as const, since: '', error: '401: Unauthorized', failures: 2, nextAttemptAt: null };
    await t.monitor.afterTick({ skipped: 0, failed: [] }, { telegram: down });
    await t.monitor.afterTick({ skipped: 0, failed: [] }, { telegram: down });
    expect(t.alerts()).toHaveLength(3);
    expect(t.alerts()[2]).toContain('the telegram bot token is rejected (401: Unauthorized)');
    // A token revoked while running: the delivery pass that stopped on it alerts (once, same key).
    await t.monitor.afterDelivery({ sent: 0, failed: 0, dropped: 0, aborted: '401: Unauthorized (check DISCORD_BOT_TOKEN)' });
    await t.monitor.afterDelivery({ sent: 0, failed: 0, dropped: 0, aborted: '401: Unauthorized (check DISCORD_BOT_TOKEN)' });
    expect(t.alerts()).toHaveLength(4);
    expect(t.alerts()[3]).toContain('delivery stopped: the discord bot token is rejected');
    // No alert text pings anyone.
    expect(t.alerts().every((a) => !a.includes('@everyone'))).toBe(true);
  });

  it('repeats an alert only after ALERT_REPEAT_MINUTES, and sends at most ALERT_MAX_PER_HOUR an hour', async () => {
    const t = await setup({ ALERT_REPEAT_MINUTES: '60', ALERT_MAX_PER_HOUR: '2' });
    const down = { state: 'down' as const, since: '', error: 'Unauthorized', failures: 1, nextAttemptAt: null };
    await t.monitor.afterTick({ skipped: 0, failed: [] }, { discord: down });
    t.advance(59 * 60_000);
    await t.monitor.afterTick({ skipped: 0, failed: [] }, { discord: down });
    expect(t.alerts()).toHaveLength(1);
    t.advance(2 * 60_000);
    await t.monitor.afterTick({ skipped: 0, failed: ['en', 'de'] }, { discord: down });
    // The repeat and one of the two unwritten-brief alerts fit the cap of 2 an hour; the third waits.
    expect(t.alerts()).toHaveLength(3);
    const metric = (await t.metrics.registry.getMetricsAsJSON()).find((m) => m.name === METRIC_NAMES.alertsTotal)!;
    const suppressed = (metric.values as { value: number; labels: Record<string, string> }[]).filter((v) => v.labels.outcome === 'suppressed');
    expect(suppressed.reduce((n, v) => n + v.value, 0)).toBe(2);
  });

  it('is off without a destination: nothing is sent anywhere', async () => {
    const notifier = createAlertNotifier({
      fetch: () => Promise.reject(new Error('no request expected')),
      sleep: realSleep,
      now: () => new Date(),
      log: silentLogger(),
      telegramChats: [],
      repeatMinutes: 60,
      maxPerHour: 5,
    });
    expect(notifier.enabled).toBe(false);
    expect(await notifier.send({ kind: 'llm_fallback', key: 'llm', text: 'x' })).toBe('off');
  });
});
