/** /subscribe in a Discord announcement channel (type 5) records it as one and says the brief is published. */
import { afterEach, describe, expect, it } from 'vitest';
import { handleInteraction } from '../../src/bots/discord-bot.ts';
import { loadConfig } from '../../src/config.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { getSubscriber } from '../../src/store/subscribers.ts';
import { seedBrief } from '../fixtures/discord/brief.ts';
import { fromPayload, loadInteraction } from '../fixtures/discord/interaction.ts';

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

async function subscribe(fixture: string) {
  db = openDb(':memory:');
  const i = fromPayload(loadInteraction(fixture));
  await handleInteraction(i, { db, config: loadConfig({ env: {} }), getLatestBrief: async () => seedBrief(), now: () => new Date('2025-11-28T05:00:00.000Z') });
  const body = i.calls[0]!.body as { content?: string };
  return body.content ?? '';
}

describe('/subscribe and announcement channels', () => {
  it('in an announcement channel: stored as one, and the reply says following servers get each brief', async () => {
    const reply = await subscribe('subscribe-announcement');
    expect(reply).toContain('This is an announcement channel: each brief is also published, so servers that follow it get it too');
    expect(getSubscriber(db!, 'discord', '800000000000000005')).toMatchObject({ kind: 'announcement', active: true });
  });

  it('in an ordinary text channel: a plain channel, no word of publishing', async () => {
    const reply = await subscribe('subscribe-moderator');
    expect(reply).not.toContain('announcement');
    expect(getSubscriber(db!, 'discord', '800000000000000001')).toMatchObject({ kind: 'channel' });
  });
});
