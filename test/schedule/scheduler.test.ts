import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextBriefAt } from '../../src/delivery/subscriber-settings.ts';
import { createScheduler, editionKey } from '../../src/schedule/scheduler.ts';
import { silentLogger } from '../../src/log.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { recordDelivery, wasDelivered } from '../../src/store/deliveries.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

interface Sent {
  subscriberId: number;
  briefId: number;
  at: string;
}

function setup(options: { failGenerateUntil?: number; editions?: { time: string; timezone: string; language: string }[] } = {}) {
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'mb-sched-')), 'test.db'));
  let clock = new Date('2026-06-10T00:00:00Z');
  const sent: Sent[] = [];
  const generated: { language: string; at: string }[] = [];
  const makeScheduler = () =>
    createScheduler({
      db,
      now: () => clock,
      log: silentLogger(),
      freshMinutes: 90,
      graceHours: 3,
      async generate(language, edition) {
        if (options.failGenerateUntil !== undefined && clock.getTime() < options.failGenerateUntil) throw new Error('all sources down');
        generated.push({ language, at: clock.toISOString() });
        const runId = insertRun(db, sampleSnapshot(clock.toISOString()), 'schedule', clock);
        return insertBrief(db, runId, sampleBrief({ createdAt: clock.toISOString(), language }), [], undefined, edition);
      },
      enqueue(briefId, ids) {
        for (const subscriberId of ids) sent.push({ subscriberId, briefId, at: clock.toISOString() });
      },
      deliver: async () => undefined,
      ...(options.editions ? { editions: options.editions } : {}),
    });
  return {
    db,
    sent,
    generated,
    makeScheduler,
    setClock: (iso: string) => {
      clock = new Date(iso);
    },
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
    now: () => clock,
  };
}

function addSubscriber(db: Db, chatId: string, time: string, timezone: string, language = 'en'): number {
  const info = db
    .prepare(
      `INSERT INTO subscribers (platform, chat_id, delivery_time, timezone, language, created_at, updated_at) VALUES ('telegram', ?, ?, ?, ?, '2026-01-01', '2026-01-01')`,
    )
    .run(chatId, time, timezone, language);
  return Number(info.lastInsertRowid);
}

async function runMinutes(t: ReturnType<typeof setup>, scheduler: ReturnType<ReturnType<typeof setup>['makeScheduler']>, until: string) {
  const reports = [];
  while (t.now() < new Date(until)) {
    reports.push(await scheduler.tick());
    t.advance(60_000);
  }
  return reports;
}

const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('scheduler', () => {
  it('delivers once to subscribers in five timezones, each at their own local 07:30', async () => {
    const t = setup();
    dbs.push(t.db);
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata'];
    const ids = zones.map((z, i) => addSubscriber(t.db, `c${i}`, '07:30', z));
    t.setClock('2026-06-09T20:00:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-06-11T00:00:00Z');
    const expected: Record<string, string[]> = {
      UTC: ['2026-06-10T07:30:00.000Z'],
      'Europe/Berlin': ['2026-06-10T05:30:00.000Z'],
      'America/New_York': ['2026-06-10T11:30:00.000Z'],
      'Asia/Tokyo': ['2026-06-09T22:30:00.000Z', '2026-06-10T22:30:00.000Z'],
      'Asia/Kolkata': ['2026-06-10T02:00:00.000Z'],
    };
    zones.forEach((zone, i) => {
      expect(t.sent.filter((s) => s.subscriberId === ids[i]).map((s) => s.at), zone).toEqual(expected[zone]);
    });
  });

  it('reuses one fresh brief per language and writes a new one when it is stale', async () => {
    const t = setup();
    dbs.push(t.db);
    addSubscriber(t.db, 'a', '07:00', 'UTC');
    addSubscriber(t.db, 'b', '07:30', 'UTC');
    addSubscriber(t.db, 'c', '07:30', 'UTC', 'zh');
    addSubscriber(t.db, 'd', '10:00', 'UTC');
    t.setClock('2026-06-10T06:59:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-06-10T10:05:00Z');
    // 07:00 en (new), 07:30 en (reused: 30 min old), 07:30 zh (new), 10:00 en (new: 3 h old is stale).
    expect(t.generated).toEqual([
      { language: 'en', at: '2026-06-10T07:00:00.000Z' },
      { language: 'zh', at: '2026-06-10T07:30:00.000Z' },
      { language: 'en', at: '2026-06-10T10:00:00.000Z' },
    ]);
    expect(t.sent).toHaveLength(4);
    const editions = t.db.prepare('SELECT edition FROM briefs ORDER BY id').all();
    expect(editions).toEqual([{ edition: editionKey('en') }, { edition: editionKey('zh') }, { edition: editionKey('en') }]);
  });

  it('handles the spring-forward day: a 02:30 that does not exist is delivered once at 03:30 new time', async () => {
    const t = setup();
    dbs.push(t.db);
    const ny = addSubscriber(t.db, 'ny', '02:30', 'America/New_York');
    const berlin = addSubscriber(t.db, 'be', '02:30', 'Europe/Berlin');
    t.setClock('2026-03-07T12:00:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-03-09T12:00:00Z');
    expect(t.sent.filter((s) => s.subscriberId === ny).map((s) => s.at)).toEqual(['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
    t.sent.length = 0;
    t.setClock('2026-03-28T12:00:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-03-30T12:00:00Z');
    expect(t.sent.filter((s) => s.subscriberId === berlin).map((s) => s.at)).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('handles the fall-back day: a time that happens twice is delivered once', async () => {
    const t = setup();
    dbs.push(t.db);
    const ny = addSubscriber(t.db, 'ny', '01:30', 'America/New_York');
    const berlin = addSubscriber(t.db, 'be', '02:30', 'Europe/Berlin');
    t.setClock('2026-10-24T12:00:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-10-26T00:00:00Z');
    expect(t.sent.filter((s) => s.subscriberId === berlin).map((s) => s.at)).toEqual(['2026-10-25T00:30:00.000Z']);
    t.sent.length = 0;
    t.setClock('2026-10-31T12:00:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-11-02T00:00:00Z');
    expect(t.sent.filter((s) => s.subscriberId === ny).map((s) => s.at)).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(t.sent.filter((s) => s.subscriberId === berlin)).toHaveLength(1); // Berlin's ordinary 2026-11-01
  });

  it('after a restart mid-morning, catches up within the grace window and skips older mornings', async () => {
    const t = setup();
    dbs.push(t.db);
    const early = addSubscriber(t.db, 'early', '05:00', 'UTC');
    const mid = addSubscriber(t.db, 'mid', '07:00', 'UTC');
    const done = addSubscriber(t.db, 'done', '04:00', 'UTC');
    const later = addSubscriber(t.db, 'later', '10:00', 'UTC');
    t.setClock('2026-06-10T03:59:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-06-10T04:30:00Z'); // 'done' is served, then the process dies
    t.setClock('2026-06-10T08:30:00Z'); // back up at 08:30
    const restarted = t.makeScheduler();
    const first = await restarted.tick();
    expect(first).toMatchObject({ enqueued: 1, skipped: 1 });
    expect(t.sent.map((s) => s.subscriberId)).toEqual([done, mid]);
    await runMinutes(t, restarted, '2026-06-10T12:00:00Z');
    expect(t.sent.map((s) => s.subscriberId)).toEqual([done, mid, later]);
    expect(t.sent.some((s) => s.subscriberId === early)).toBe(false);
  });

  it('retries a failing generation each tick, never sends an old brief as today\'s, and gives up when the window closes', async () => {
    const failUntil = new Date('2026-06-10T08:10:00Z').getTime();
    const t = setup({ failGenerateUntil: failUntil });
    dbs.push(t.db);
    // Yesterday's brief exists but is stale.
    const runId = insertRun(t.db, sampleSnapshot('2026-06-09T07:00:00Z'), 'schedule', new Date('2026-06-09T07:00:00Z'));
    const oldBrief = insertBrief(t.db, runId, sampleBrief({ createdAt: '2026-06-09T07:00:00.000Z' }), [], undefined, editionKey('en'));
    const a = addSubscriber(t.db, 'a', '07:00', 'UTC');
    t.setClock('2026-06-10T06:59:00Z');
    const reports = await runMinutes(t, t.makeScheduler(), '2026-06-10T09:00:00Z');
    const failedTicks = reports.filter((r) => r.failed.includes('en')).length;
    expect(failedTicks).toBe(70); // 07:00 .. 08:09 every minute
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]).toMatchObject({ subscriberId: a, at: '2026-06-10T08:10:00.000Z' });
    expect(t.sent[0]!.briefId).not.toBe(oldBrief);

    const t2 = setup({ failGenerateUntil: Date.UTC(2030, 0, 1) });
    dbs.push(t2.db);
    addSubscriber(t2.db, 'b', '07:00', 'UTC');
    t2.setClock('2026-06-10T06:59:00Z');
    const reports2 = await runMinutes(t2, t2.makeScheduler(), '2026-06-10T11:00:00Z');
    expect(t2.sent).toHaveLength(0);
    expect(reports2.reduce((n, r) => n + r.skipped, 0)).toBe(1);
    expect(reports2.at(-1)!.failed).toEqual([]); // nothing is retried after the window closed
  });

  it('writes an edition ahead at its local time, once, and delivery reuses it', async () => {
    const t = setup({ editions: [{ time: '06:45', timezone: 'Europe/Berlin', language: 'en' }] });
    dbs.push(t.db);
    const a = addSubscriber(t.db, 'a', '07:30', 'Europe/Berlin');
    t.setClock('2026-06-10T04:00:00Z');
    await runMinutes(t, t.makeScheduler(), '2026-06-10T06:00:00Z');
    // 06:45 Berlin summer time is 04:45Z; the 07:30 delivery (05:30Z) reuses that brief.
    expect(t.generated).toEqual([{ language: 'en', at: '2026-06-10T04:45:00.000Z' }]);
    expect(t.sent).toEqual([{ subscriberId: a, briefId: 1, at: '2026-06-10T05:30:00.000Z' }]);

    // Down at 06:45 and back at 07:10 local: the edition is written at start, not skipped.
    const t2 = setup({ editions: [{ time: '06:45', timezone: 'Europe/Berlin', language: 'en' }] });
    dbs.push(t2.db);
    t2.setClock('2026-06-10T05:10:00Z');
    await t2.makeScheduler().tick();
    expect(t2.generated).toEqual([{ language: 'en', at: '2026-06-10T05:10:00.000Z' }]);
  });

  it('never runs two ticks at once', async () => {
    const t = setup();
    dbs.push(t.db);
    addSubscriber(t.db, 'a', '07:00', 'UTC');
    t.setClock('2026-06-10T07:00:00Z');
    const scheduler = t.makeScheduler();
    const [r1, r2] = await Promise.all([scheduler.tick(), scheduler.tick()]);
    expect(r1).toBe(r2);
    expect(t.sent).toHaveLength(1);
  });

  it('sends each subscriber first at the moment nextBriefAt (what the bots tell them) says', async () => {
    const t = setup();
    dbs.push(t.db);
    t.setClock('2026-06-10T08:00:00Z');
    const subs = [
      addSubscriber(t.db, 'passed-in-grace', '07:30', 'UTC'),
      addSubscriber(t.db, 'passed-beyond-grace', '04:00', 'UTC'),
      addSubscriber(t.db, 'had-today-moved-later', '09:00', 'UTC'),
      addSubscriber(t.db, 'kolkata', '10:00', 'Asia/Kolkata'),
      addSubscriber(t.db, 'new-york-later', '07:45', 'America/New_York'),
      addSubscriber(t.db, 'auckland-late', '23:50', 'Pacific/Auckland'),
    ];
    const runId = insertRun(t.db, sampleSnapshot(), 'test', t.now());
    recordDelivery(t.db, subs[2]!, '2026-06-10', insertBrief(t.db, runId, sampleBrief(), []), t.now());
    const rows = t.db.prepare('SELECT id, delivery_time AS time, timezone FROM subscribers ORDER BY id').all() as { id: number; time: string; timezone: string }[];
    const told = new Map(rows.map((r) => [r.id, nextBriefAt(r.time, r.timezone, t.now(), { graceHours: 3, wasDelivered: (d) => wasDelivered(t.db, r.id, d) }).toISOString()]));
    expect(told.get(subs[0]!)).toBe('2026-06-10T08:00:00.000Z');
    expect(told.get(subs[2]!)).toBe('2026-06-11T09:00:00.000Z');

    await runMinutes(t, t.makeScheduler(), '2026-06-11T10:00:00Z');
    const first = new Map<number, string>();
    for (const s of t.sent) if (!first.has(s.subscriberId)) first.set(s.subscriberId, s.at);
    expect(Object.fromEntries(first)).toEqual(Object.fromEntries(told));
  });
});

describe('one unusable subscriber row', () => {
  it('is skipped, logged once and counted; everyone else still gets the morning brief', async () => {
    const t = setup();
    dbs.push(t.db);
    const good = addSubscriber(t.db, '1', '07:30', 'Europe/Berlin');
    // Rows as a later tzdata or a hand edit can leave them: the CLI and bots never write these.
    const badZone = addSubscriber(t.db, '2', '07:30', 'Mars/Olympus');
    const badTime = addSubscriber(t.db, '3', '7h30', 'UTC');
    const badLanguage = addSubscriber(t.db, '4', '07:30', 'UTC', '');
    const warnings: unknown[] = [];
    const log = { ...silentLogger(), warn: (obj: unknown) => void warnings.push(obj) } as ReturnType<typeof silentLogger>;
    const ticks: number[] = [];
    const scheduler = createScheduler({
      db: t.db,
      now: t.now,
      log,
      freshMinutes: 90,
      graceHours: 3,
      async generate(language, edition) {
        const runId = insertRun(t.db, sampleSnapshot(t.now().toISOString()), 'schedule', t.now());
        return insertBrief(t.db, runId, sampleBrief({ createdAt: t.now().toISOString(), language }), [], undefined, edition);
      },
      enqueue(briefId, ids) {
        for (const subscriberId of ids) t.sent.push({ subscriberId, briefId, at: t.now().toISOString() });
      },
      deliver: async () => undefined,
      onTick: (r) => ticks.push(r.invalid),
    });
    t.setClock('2026-06-10T05:00:00Z');
    const reports = await runMinutes(t, scheduler, '2026-06-10T06:00:00Z');
    expect(t.sent.map((s) => s.subscriberId)).toEqual([good]);
    expect(reports.every((r) => r.invalid === 3)).toBe(true);
    expect(ticks.every((n) => n === 3)).toBe(true);
    const logged = warnings.map((w) => (w as { subscriberId?: number }).subscriberId).filter((id) => id !== undefined);
    expect(logged.sort()).toEqual([badZone, badTime, badLanguage].sort());
  });
});

describe('a fresh brief written from no data', () => {
  it('is not reused for the morning: the scheduler writes one from data instead', async () => {
    const t = setup();
    dbs.push(t.db);
    addSubscriber(t.db, '1', '07:30', 'UTC');
    t.setClock('2026-06-10T07:20:00Z');
    const empty = { ...sampleSnapshot(t.now().toISOString()), quotes: [], headlines: [], statuses: [{ id: 'coingecko', ok: false, error: 'HTTP 500', ms: 1, items: 0, notModified: false, fallback: null }] };
    const noDataId = insertBrief(t.db, insertRun(t.db, empty, 'cli', t.now()), sampleBrief({ createdAt: t.now().toISOString() }), [], undefined, editionKey('en'));
    const scheduler = t.makeScheduler();
    await runMinutes(t, scheduler, '2026-06-10T07:31:00Z');
    expect(t.generated).toHaveLength(1);
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]!.briefId).not.toBe(noDataId);
  });
});
