/** `morning-brief subscribers list|add|remove` (src/commands/subscribers.ts) and its store. */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runSubscribersCommand } from '../../src/commands/subscribers.ts';
import { loadConfig } from '../../src/config.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { listSubscribers, setActive, getSubscriber } from '../../src/store/subscribers.ts';

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

function cli(env: Record<string, string> = {}) {
  db ??= openDb(':memory:');
  const config = loadConfig({ env });
  return (action: 'list' | 'add' | 'remove', ...args: string[]) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = runSubscribersCommand(action, args, { db: db!, stdout, stderr, config, now: () => new Date('2026-06-10T06:00:00Z') });
    return { code, out, err };
  };
}

describe('subscribers add', () => {
  it('subscribes a channel by id with its time, zone and language', () => {
    const run = cli();
    const r = run('add', 'telegram', '-1001234567890', '--time', '8:05', '--timezone', 'europe/berlin', '--lang', 'DE', '--topics', 'btc, etf');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/Subscribed telegram channel -1001234567890: brief at 08:05 Europe\/Berlin, language de, topics btc, etf/);
    expect(getSubscriber(db!, 'telegram', '-1001234567890')).toMatchObject({
      kind: 'channel',
      deliveryTime: '08:05',
      timezone: 'Europe/Berlin',
      language: 'de',
      topics: ['btc', 'etf'],
      active: true,
    });
  });

  it('uses the configured defaults and infers the kind from the id', () => {
    const run = cli({ DEFAULT_DELIVERY_TIME: '06:45', DEFAULT_TIMEZONE: 'Asia/Tokyo', BRIEF_LANGUAGE: 'ja' });
    expect(run('add', 'telegram', '-4242').code).toBe(0);
    expect(run('add', 'telegram', '123456789', '--timezone', 'UTC+3').code).toBe(0);
    expect(run('add', 'telegram', '@morning_news').code).toBe(0);
    expect(listSubscribers(db!).map((s) => [s.chatId, s.kind, s.deliveryTime, s.timezone, s.language])).toEqual([
      ['-4242', 'group', '06:45', 'Asia/Tokyo', 'ja'],
      ['123456789', 'private', '06:45', 'Etc/GMT-3', 'ja'],
      ['@morning_news', 'channel', '06:45', 'Asia/Tokyo', 'ja'],
    ]);
  });

  it('resubscribes an inactive chat and keeps its settings unless new ones are given', () => {
    const run = cli();
    run('add', 'telegram', '-100555', '--time', '09:00');
    const sub = getSubscriber(db!, 'telegram', '-100555')!;
    setActive(db!, sub.id, false, '403: Forbidden: bot was kicked from the channel', new Date());
    const r = run('add', 'telegram', '-100555', '--lang', 'es');
    expect(r.out).toMatch(/^Resubscribed/);
    expect(getSubscriber(db!, 'telegram', '-100555')).toMatchObject({ active: true, inactiveReason: null, deliveryTime: '09:00', language: 'es' });
  });

  it.each([
    [['telegram', '-100', '--time', '25:99'], /--time "25:99" is not valid: expected a 24-hour time HH:MM/],
    [['telegram', '-100', '--timezone', 'Mars/Olympus'], /--timezone "Mars\/Olympus" is not valid: expected an IANA time zone like Europe\/Berlin/],
    [['telegram', '-100', '--lang', 'klingon'], /--lang "klingon" is not valid: expected a two-letter language code/],
    [['telegram', '-100', '--topics', 'moon,btc'], /--topics: unknown "moon"; expected topics from: fed, macro/],
    [['telegram', 'my-channel'], /"my-channel" is not a Telegram chat id/],
    [['slack', 'C0123'], /unknown platform "slack"; known: telegram, discord, discord-webhook/],
    [['telegram'], /which chat\?/],
    [['telegram', '-100', '--colour', 'red'], /unknown option --colour/],
    [['telegram', '-100', '--time'], /--time needs a value/],
    [['telegram', '-100', '--kind', 'forum'], /--kind "forum" is not a telegram chat kind/],
  ])('refuses %j with a helpful message, exit 2, and changes nothing', (args, message) => {
    const run = cli();
    const r = run('add', ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(listSubscribers(db!)).toEqual([]);
  });
});

describe('subscribers list and remove', () => {
  it('lists subscribers with their settings and status', () => {
    const run = cli();
    expect(run('list').out).toMatch(/No subscribers yet/);
    run('add', 'telegram', '-100777', '--timezone', '+05:00');
    run('add', 'telegram', '42');
    setActive(db!, getSubscriber(db!, 'telegram', '42')!.id, false, '403: Forbidden: bot was blocked by the user', new Date());
    const r = run('list');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/-100777\s+channel\s+07:30\s+UTC\+05:00\s+en\s+all\s+active/);
    expect(r.out).toMatch(/42\s+private\s+07:30\s+UTC\s+en\s+all\s+inactive \(403: Forbidden: bot was blocked by the user\)/);
    expect(r.out).toMatch(/1 active, 1 inactive\./);
    expect(JSON.parse(run('list', '--active', '--json').out)).toHaveLength(1);
    expect(run('list', '--active', '--inactive').code).toBe(2);
  });

  it('removes a subscriber, and says so when there is none', () => {
    const run = cli();
    run('add', 'telegram', '-100888');
    expect(run('remove', 'telegram', '-100888')).toMatchObject({ code: 0, out: expect.stringMatching(/Removed telegram subscriber -100888/) });
    expect(listSubscribers(db!)).toEqual([]);
    expect(run('remove', 'telegram', '-100888')).toMatchObject({ code: 1, err: expect.stringMatching(/nothing changed/) });
    expect(run('remove', 'telegram', 'abc').code).toBe(2);
  });
});
