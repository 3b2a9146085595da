import { afterEach, describe, expect, it } from 'vitest';
import { makeBrief, startTestServer, storeBrief, tempDb, type Running, type TestDb } from './helpers.ts';

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
    expect(body.sources).toEqual([
      { id: 'coingecko', ok: true, error: null, ms: 420, items: 5, fallback: null },
      { id: 'etf-flows', ok: false, error: 'HTTP 403 from https://farside.co.uk/btc/', ms: 180, items: 0, fallback: null },
      { id: 'coindesk', ok: true, error: null, ms: 950, items: 25, fallback: null },
    ]);

    t.db.close();
    const down = await fetch(`${srv.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'error', database: 'unreachable' });
  });

  it('answers 200 with no brief and no sources before the first run', async () => {
    t = tempDb();
    srv = await startTestServer(t.db);
    const res = await fetch(`${srv.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ database: 'ok', lastBrief: null, lastRun: null, sources: [] });
  });
});
