import { afterEach, describe, expect, it } from 'vitest';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { makeBrief, makeSnapshot, startTestServer, storeBrief, tempDb, type Running, type TestDb } from './helpers.ts';

let t: TestDb;
let srv: Running;
afterEach(async () => {
  await srv?.close();
  t?.cleanup();
});

describe('GET /healthz', () => {
  it('reports each source of the last run, the last brief and a reachable database, then 503 once the database is closed', async () => {
    t = tempDb();
    storeBrief(t.db, makeBrief('2025-01-14T07:30:00.000Z'));
    const latestId = storeBrief(t.db, makeBrief('2025-01-15T07:30:00.000Z'));
    srv = await startTestServer(t.db, { healthExtras: () => ({ telegram: 'polling', database: 'spoofed' }) });

    const ok = await fetch(`${srv.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await ok.json()) as Record<string, any>;
    expect(body.database).toBe('ok');
    expect(body.telegram).toBe('polling');
    expect(body.lastBrief).toMatchObject({ id: latestId, createdAt: '2025-01-15T07:30:00.000Z', ageSeconds: 1800 });
    // makeBrief's data is as of its createdAt: statuses checked 30 min before the server's clock.
    const seen = { checkedAt: '2025-01-15T07:30:00.000Z', ageSeconds: 1800 };
    expect(body.sources).toEqual([
      { id: 'coingecko', ok: true, error: null, ms: 420, items: 5, fallback: null, ...seen },
      { id: 'etf-flows', ok: false, error: 'HTTP 403 from https://farside.co.uk/btc/', ms: 180, items: 0, fallback: null, ...seen },
      { id: 'coindesk', ok: true, error: null, ms: 950, items: 25, fallback: null, ...seen },
    ]);

    t.db.close();
    const down = await fetch(`${srv.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'error', database: 'unreachable' });
  });

  it("does not report a replayed old snapshot's statuses as today's health, and tells each age", async () => {
    t = tempDb();
    storeBrief(t.db, makeBrief('2025-01-15T07:30:00.000Z'));
    // Replaying November's snapshot at 07:50: a new run and a new brief about an old morning, every source "ok".
    const november = makeSnapshot('2024-11-27T06:30:00.000Z', [{ id: 'coingecko', ok: true, error: null, ms: 1, items: 5, notModified: false, fallback: null }]);
    const runId = insertRun(t.db, november, 'replay:file', new Date('2025-01-15T07:50:00.000Z'));
    insertBrief(t.db, runId, makeBrief('2025-01-15T07:50:00.000Z', { dataAsOf: november.takenAt }), []);
    srv = await startTestServer(t.db);
    const body = (await (await fetch(`${srv.url}/healthz`)).json()) as Record<string, any>;
    expect(body.lastRun).toMatchObject({ id: runId, trigger: 'replay:file', replay: true });
    expect(body.sourcesFrom).toMatchObject({ checkedAt: '2025-01-15T07:30:00.000Z', ageSeconds: 1800 });
    expect(body.sources.find((s: { id: string }) => s.id === 'etf-flows')).toMatchObject({ ok: false, ageSeconds: 1800 });
    expect(body.lastBrief).toMatchObject({ ageSeconds: 600, dataAgeSeconds: Math.round((Date.parse('2025-01-15T08:00:00Z') - Date.parse(november.takenAt)) / 1000) });
  });

  it('answers 200 with no brief and no sources before the first run', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ database: 'ok', lastBrief: null, lastRun: null, sources: [] });
  });
});
