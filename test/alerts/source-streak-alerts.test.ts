/** Operator alerts through the scheduler and the fake Bot API: a source failing three mornings in a row. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlertMonitor } from '../../src/alerts/monitor.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createMetrics, METRIC_NAMES } from '../../src/metrics.ts';
import { realSleep } from '../../src/util/http.ts';
import { createScheduler } from '../../src/schedule/scheduler.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-server.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

const ADMIN_CHAT = '-1009999';
const SUBSCRIBER_CHAT = '4242';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function setup(tg: FakeTelegram, env: Record<string, string> = {}) {
  const db: Db = openDb(join(mkdtempSync(join(tmpdir(), 'mb-alerts-')), 'test.db'));
  cleanups.push(() => {
    db.close();
  });
  db.prepare(
    `INSERT INTO subscribers (platform, chat_id, delivery_time, timezone, created_at, updated_at) VALUES ('telegram', ?, '07:30', 'UTC', '2026-01-01', '2026-01-01')`,
  ).run(SUBSCRIBER_CHAT);
  const config = loadConfig({
    env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, ALERT_TELEGRAM_CHATS: ADMIN_CHAT, ...env },
  });
  let clock = new Date('2026-06-10T07:00:00Z');
  const now = () => clock;
  const metrics = createMetrics({ defaultMetrics: false });
  const alerts = createAlertMonitor({ db, config, fetch: globalThis.fetch, sleep: realSleep, now, log: silentLogger(), metrics });
  /** Which mornings (yyyy-mm-dd) FRED fails on. */
  const fredDown = new Set<string>();
  const pending: Promise<void>[] = [];
  const scheduler = createScheduler({
    db,
    now,
    log: silentLogger(),
    freshMinutes: 90,
    graceHours: 3,
    async generate(language, edition) {
      const snapshot = sampleSnapshot(clock.toISOString());
      const down = fredDown.has(clock.toISOString().slice(0, 10));
      snapshot.statuses.push({ id: 'fred', ok: !down, error: down ? 'HTTP 503 from api.stlouisfed.org' : null, ms: 80, items: down ? 0 : 2, notModified: false, fallback: null });
      const runId = insertRun(db, snapshot, 'schedule', clock);
      const briefId = insertBrief(db, runId, sampleBrief({ createdAt: clock.toISOString(), language }), [], undefined, edition);
      // As the service does: the run's alerts are checked once it is stored.
      pending.push(alerts.afterRun({ runId, briefId }));
      return briefId;
    },
    enqueue: () => undefined,
    deliver: async () => undefined,
  });
  return {
    db,
    metrics,
    fredDown,
    /** One whole morning: ticks every minute from 07:00 to 08:00 UTC of `day`. */
    async morning(day: string) {
      clock = new Date(`${day}T07:00:00Z`);
      while (clock < new Date(`${day}T08:00:00Z`)) {
        const report = await scheduler.tick();
        pending.push(alerts.afterTick(report));
        clock = new Date(clock.getTime() + 60_000);
      }
      await Promise.all(pending.splice(0));
    },
  };
}

describe('operator alerts', () => {
  it('sends one alert to the admin chat when a source fails three mornings in a row, and one when it recovers', async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    const t = setup(tg);
    for (const day of ['2026-06-10', '2026-06-11', '2026-06-12', '2026-06-13']) t.fredDown.add(day);

    await t.morning('2026-06-09'); // fine
    await t.morning('2026-06-10'); // 1st failed morning
    await t.morning('2026-06-11'); // 2nd
    expect(tg.messagesTo(ADMIN_CHAT)).toHaveLength(0);
    await t.morning('2026-06-12'); // 3rd: the alert
    const afterThird = tg.messagesTo(ADMIN_CHAT).map((m) => m.plain);
    expect(afterThird).toHaveLength(1);
    expect(afterThird[0]).toContain('source "fred" has failed on 3 mornings in a row');
    expect(afterThird[0]).toContain('HTTP 503');
    await t.morning('2026-06-13'); // 4th: still failing, nothing new
    expect(tg.messagesTo(ADMIN_CHAT)).toHaveLength(1);
    t.fredDown.clear();
    await t.morning('2026-06-14'); // answers again
    await t.morning('2026-06-15');

    const all = tg.messagesTo(ADMIN_CHAT).map((m) => m.plain);
    expect(all).toHaveLength(2);
    expect(all[1]).toContain('source "fred" answers again after failing on 4 mornings in a row');
    // Alerts go to the admin chat only, never to a subscriber.
    expect(tg.messagesTo(SUBSCRIBER_CHAT)).toHaveLength(0);
    expect(tg.messages.every((m) => m.chatId === ADMIN_CHAT)).toBe(true);
    const metrics = await t.metrics.registry.getMetricsAsJSON();
    const alertsMetric = metrics.find((m) => m.name === METRIC_NAMES.alertsTotal)!;
    const sent = (alertsMetric.values as { value: number; labels: Record<string, string> }[]).filter((v) => v.labels.outcome === 'sent');
    expect(sent.map((v) => [v.labels.kind, v.value]).sort()).toEqual([
      ['source_failing', 1],
      ['source_recovered', 1],
    ]);
  });

  it('does not alert again after a restart in the middle of a failing streak (the streak is read from the stored runs)', async () => {
    const tg = await startFakeTelegram();
    cleanups.push(() => tg.close());
    const t = setup(tg, { ALERT_SOURCE_FAILED_MORNINGS: '2' });
    t.fredDown.add('2026-06-10').add('2026-06-11').add('2026-06-12');
    await t.morning('2026-06-10');
    await t.morning('2026-06-11');
    expect(tg.messagesTo(ADMIN_CHAT).map((m) => m.plain)).toEqual([expect.stringContaining('failed on 2 mornings in a row')]);
    // A new monitor (a restarted process) over the same database sees the 3rd failed morning as no news.
    const restarted = createAlertMonitor({
      db: t.db,
      config: loadConfig({ env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.url, ALERT_TELEGRAM_CHATS: ADMIN_CHAT, ALERT_SOURCE_FAILED_MORNINGS: '2' } }),
      fetch: globalThis.fetch,
      sleep: realSleep,
      now: () => new Date('2026-06-12T07:30:00Z'),
      log: silentLogger(),
    });
    await t.morning('2026-06-12');
    const lastRun = t.db.prepare('SELECT MAX(id) AS id FROM runs').get() as { id: number };
    await restarted.afterRun({ runId: lastRun.id, briefId: null });
    expect(tg.messagesTo(ADMIN_CHAT)).toHaveLength(1);
  });
});
