import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/store/db.ts';
import { enqueue, outboxCounts } from '../../src/store/outbox.ts';
import { insertBrief, insertRun } from '../../src/store/runs.ts';
import {
  countSubscribers,
  listSubscribers,
  removeSubscriber,
  setActive,
  updateChatId,
  updateSettings,
  upsertSubscriber,
} from '../../src/store/subscribers.ts';
import { sampleBrief, sampleSnapshot } from '../helpers/sample-brief.ts';

const NOW = new Date('2026-06-10T06:00:00Z');
let db: Db;
afterEach(() => db.close());

describe('subscribers store', () => {
  it('adds once per chat and reports creation, update and reactivation', () => {
    db = openDb(':memory:');
    const a = upsertSubscriber(db, { platform: 'telegram', chatId: '1', language: 'de' }, NOW);
    expect(a).toMatchObject({ created: true, reactivated: false, subscriber: { language: 'de', deliveryTime: '07:30', timezone: 'UTC', topics: [] } });
    expect(upsertSubscriber(db, { platform: 'telegram', chatId: '1' }, NOW)).toMatchObject({ created: false, reactivated: false, subscriber: { id: a.subscriber.id, language: 'de' } });
    setActive(db, a.subscriber.id, false, 'stopped', NOW);
    expect(upsertSubscriber(db, { platform: 'telegram', chatId: '1' }, NOW)).toMatchObject({ reactivated: true, subscriber: { active: true, inactiveReason: null } });
    // The same id on another platform is another subscriber.
    expect(upsertSubscriber(db, { platform: 'discord', chatId: '1' }, NOW).created).toBe(true);
  });

  it('changes only the settings given', () => {
    db = openDb(':memory:');
    const { subscriber } = upsertSubscriber(db, { platform: 'telegram', chatId: '1' }, NOW);
    expect(updateSettings(db, subscriber.id, { timezone: 'Asia/Tokyo' }, NOW)).toMatchObject({ timezone: 'Asia/Tokyo', deliveryTime: '07:30' });
    expect(updateSettings(db, subscriber.id, { topics: ['btc'], deliveryTime: '06:00' }, NOW)).toMatchObject({ timezone: 'Asia/Tokyo', deliveryTime: '06:00', topics: ['btc'] });
  });

  it('filters by platform, activity, language and topics (an empty filter means every topic)', () => {
    db = openDb(':memory:');
    upsertSubscriber(db, { platform: 'telegram', chatId: '1', topics: ['btc'] }, NOW);
    upsertSubscriber(db, { platform: 'telegram', chatId: '2', topics: [], language: 'de' }, NOW);
    upsertSubscriber(db, { platform: 'telegram', chatId: '3', topics: ['fed'] }, NOW);
    expect(listSubscribers(db, { topics: ['btc'] }).map((s) => s.chatId)).toEqual(['1', '2']);
    expect(listSubscribers(db, { language: 'de' }).map((s) => s.chatId)).toEqual(['2']);
    expect(countSubscribers(db)).toEqual({ active: 3, inactive: 0, byKind: { private: 3 } });
  });

  it('moves a chat to its new id, or deactivates it when the new id is subscribed already', () => {
    db = openDb(':memory:');
    const group = upsertSubscriber(db, { platform: 'telegram', chatId: '-5', kind: 'group' }, NOW).subscriber;
    expect(updateChatId(db, group.id, '-1005', NOW)).toMatchObject({ ok: true, subscriber: { chatId: '-1005', kind: 'supergroup' } });
    const other = upsertSubscriber(db, { platform: 'telegram', chatId: '-6', kind: 'group' }, NOW).subscriber;
    expect(updateChatId(db, other.id, '-1005', NOW)).toMatchObject({ ok: false, existing: { id: group.id } });
    expect(listSubscribers(db, { active: false }).map((s) => s.chatId)).toEqual(['-6']);
  });

  it('removing a subscriber removes its queued deliveries too', () => {
    db = openDb(':memory:');
    const sub = upsertSubscriber(db, { platform: 'telegram', chatId: '1' }, NOW).subscriber;
    const briefId = insertBrief(db, insertRun(db, sampleSnapshot(), 'test', NOW), sampleBrief(), []);
    enqueue(db, briefId, [sub.id], NOW);
    expect(removeSubscriber(db, 'telegram', '1')).toBe(true);
    expect(outboxCounts(db).total).toBe(0);
    expect(removeSubscriber(db, 'telegram', '1')).toBe(false);
  });
});
