import { afterEach, describe, expect, it, vi } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.ts';
import { TriggerBusyError } from '../../src/server/server.ts';
import { startTestServer, tempDb, type Running, type TestDb } from './helpers.ts';

const TOKEN = 'test-trigger-token-0123456789';

let t: TestDb;
let srv: Running;
afterEach(async () => {
  await srv?.close();
  t?.cleanup();
});

function post(path: string, authorization?: string): Promise<Response> {
  return fetch(`${srv.url}${path}`, { method: 'POST', headers: authorization ? { authorization } : {} });
}

describe('POST /trigger', () => {
  it('runs a brief only with the right bearer token', async () => {
    t = tempDb();
    let runs = 0;
    srv = await startTestServer(t.db, {
      config: { triggerToken: TOKEN },
      trigger: async () => ({ briefId: ++runs, delivered: 20 }),
    });

    const none = await post('/trigger');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toContain(TOKEN);
    expect((await post('/trigger', 'Bearer wrong-token')).status).toBe(401);
    expect((await post('/trigger', `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await post('/trigger', `Basic ${TOKEN}`)).status).toBe(401);
    expect(runs).toBe(0);

    const ok = await post('/trigger?wait=1', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'done', briefId: 1, delivered: 20 });
    expect(runs).toBe(1);
  });

  it('is off (404) when no token is configured', async () => {
    t = tempDb();
    let runs = 0;
    srv = await startTestServer(t.db, { trigger: async () => ({ briefId: ++runs }) });
    const res = await post('/trigger', 'Bearer anything-at-all-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining('TRIGGER_TOKEN') });
    expect(runs).toBe(0);
  });

  it('answers 409 to a second trigger while the first still runs, and runs again afterwards', async () => {
    t = tempDb();
    let release!: () => void;
    let started!: () => void;
    const runStarted = new Promise<void>((r) => (started = r));
    let runs = 0;
    srv = await startTestServer(t.db, {
      config: { triggerToken: TOKEN },
      trigger: () => {
        runs++;
        started();
        return new Promise((resolve) => (release = () => resolve({ briefId: runs })));
      },
    });

    const first = post('/trigger?wait=1', `Bearer ${TOKEN}`);
    await runStarted;
    const second = await post('/trigger', `Bearer ${TOKEN}`);
    expect(second.status).toBe(409);
    const health = (await (await fetch(`${srv.url}/healthz`)).json()) as { trigger: { running: boolean } };
    expect(health.trigger.running).toBe(true);

    release();
    expect((await first).status).toBe(200);
    expect(runs).toBe(1);

    const third = post('/trigger?wait=1', `Bearer ${TOKEN}`);
    await vi.waitFor(() => expect(runs).toBe(2));
    release();
    expect(await (await third).json()).toMatchObject({ status: 'done', briefId: 2 });
  });

  it('answers 202 at once with ?wait=0, 409 when another runner holds the lock, 500 with a redacted reason when the run fails', async () => {
    t = tempDb();
    let mode: 'slow' | 'busy' | 'fail' = 'slow';
    let finish!: () => void;
    srv = await startTestServer(t.db, {
      config: { triggerToken: TOKEN },
      trigger: async () => {
        if (mode === 'busy') throw new TriggerBusyError('the scheduler is running a brief');
        if (mode === 'fail') throw new Error('HTTP 500 from https://api.telegram.org/bot123:SECRET/sendMessage');
        await new Promise<void>((r) => (finish = r));
        return { briefId: 7 };
      },
    });
    const accepted = await post('/trigger?wait=0', `Bearer ${TOKEN}`);
    expect(accepted.status).toBe(202);
    finish();
    await vi.waitFor(async () => {
      const health = (await (await fetch(`${srv.url}/healthz`)).json()) as { trigger: { running: boolean } };
      expect(health.trigger.running).toBe(false);
    });

    mode = 'busy';
    const busy = await post('/trigger?wait=1', `Bearer ${TOKEN}`);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ error: 'the scheduler is running a brief' });

    mode = 'fail';
    const failed = await post('/trigger?wait=1', `Bearer ${TOKEN}`);
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(text).toContain('run failed');
    expect(text).not.toContain('SECRET');
  });

  it('releases the lock when trigger() throws synchronously, and never logs the token', async () => {
    t = tempDb();
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(chunk.toString()), cb()) });
    let calls = 0;
    srv = await startTestServer(t.db, {
      log: createLogger('debug', sink),
      config: { triggerToken: TOKEN },
      trigger: () => {
        if (++calls === 1) throw new Error('boom');
        return Promise.resolve({ briefId: 3 });
      },
    });
    expect((await post('/trigger?wait=1', `Bearer ${TOKEN}`)).status).toBe(500);
    expect((await post('/trigger?wait=1', `Bearer ${TOKEN}`)).status).toBe(200);
    expect((await post('/trigger', 'Bearer not-the-token')).status).toBe(401);
    const log = lines.join('');
    expect(log).toContain('trigger: unauthorized');
    expect(log).toContain('boom');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('not-the-token');
  });

  it('answers 202 at once with the run id; GET /trigger/<id> shows progress, then the result or the redacted failure', async () => {
    t = tempDb();
    let finish!: () => void;
    let fail = false;
    let calls = 0;
    srv = await startTestServer(t.db, {
      config: { triggerToken: TOKEN },
      trigger: async (progress) => {
        calls++;
        progress?.({ phase: 'writing', language: 'en', delivered: 0 });
        await new Promise<void>((r) => (finish = r));
        if (fail) throw new Error('HTTP 500 from https://api.telegram.org/bot123:SECRET/sendMessage');
        return { briefId: 9, delivered: 3 };
      },
    });
    const get = async (url: string) => (await (await fetch(`${srv.url}${url}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Record<string, unknown>;
    const accepted = await post('/trigger', `Bearer ${TOKEN}`);
    expect(accepted.status).toBe(202);
    const { id, url } = (await accepted.json()) as { id: string; url: string };
    expect(await get(url)).toMatchObject({ id, state: 'running', progress: { phase: 'writing', language: 'en' }, briefId: null });
    expect((await fetch(`${srv.url}${url}`)).status).toBe(401);
    finish();
    await vi.waitFor(async () => expect(await get(url)).toMatchObject({ state: 'done', briefId: 9, delivered: 3, error: null }));

    fail = true;
    const second = (await (await post('/trigger', `Bearer ${TOKEN}`)).json()) as { url: string };
    await vi.waitFor(() => expect(calls).toBe(2));
    finish();
    await vi.waitFor(async () => expect(await get(second.url)).toMatchObject({ state: 'failed' }));
    const failed = await get(second.url);
    expect(String(failed.error)).toContain('run failed');
    expect(JSON.stringify(failed)).not.toContain('SECRET');
  });

  it('rejects other methods with 405 and an Allow header', async () => {
    t = tempDb();
    srv = await startTestServer(t.db, { config: { triggerToken: TOKEN } });
    const res = await fetch(`${srv.url}/trigger`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

