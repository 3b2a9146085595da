/** Subscriber ids are never reused: after a remove, the next subscriber gets a new id (also on a database made by the old schema). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/store/db.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { enqueue, outboxCounts } from '../../src/store/outbox.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import { listSubscribers, removeSubscriber, upsertSubscriber } from '../../src/store/subscribers.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

const NOW = new Date('2026-06-10T06:00:00Z');
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

describe('subscriber ids', () => {
  it('are not handed out again after `subscribers remove`', () => {
    db = openDb(':memory:');
    const first = upsertSubscriber(db, { platform: 'telegram', chatId: '555' }, NOW).subscriber;
    expect(removeSubscriber(db, 'telegram', '555')).toBe(true);
    const next = upsertSubscriber(db, { platform: 'telegram', chatId: '777' }, NOW).subscriber;
    expect(next.id).not.toBe(first.id);
    expect(next.id).toBeGreaterThan(first.id);
  });

  it('an existing database from the old schema keeps its rows, ids and outbox links, and stops reusing ids', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mb-ids-')), 'old.db');
    // The database as the previous version left it: migrations 1 and 2 only.
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (const [i, sql] of MIGRATIONS.slice(0, 2).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${i + 1}`);
    }
    const at = NOW.toISOString();
    const addOld = old.prepare("INSERT INTO subscribers (platform, chat_id, language, timezone, created_at, updated_at) VALUES ('telegram', ?, 'de', 'Europe/Berlin', ?, ?)");
    addOld.run('100', at, at);
    addOld.run('200', at, at);
    addOld.run('300', at, at);
    old.close();

    db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(listSubscribers(db).map((s) => [s.id, s.chatId, s.language, s.timezone])).toEqual([
      [1, '100', 'de', 'Europe/Berlin'],
      [2, '200', 'de', 'Europe/Berlin'],
      [3, '300', 'de', 'Europe/Berlin'],
    ]);
    // Foreign keys still hold on the rebuilt table.
    const briefId = insertBrief(db, insertRun(db, sampleSnapshot(), 'test', NOW), sampleBrief(), []);
    expect(enqueue(db, briefId, [3], NOW)).toBe(1);
    expect(outboxCounts(db, briefId).pending).toBe(1);
    expect(() => db!.prepare("INSERT INTO outbox (brief_id, subscriber_id, created_at, updated_at) VALUES (?, 999, 'x', 'x')").run(briefId)).toThrow(/FOREIGN KEY/);

    removeSubscriber(db, 'telegram', '300');
    expect(upsertSubscriber(db, { platform: 'telegram', chatId: '400' }, NOW).subscriber.id).toBe(4);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
