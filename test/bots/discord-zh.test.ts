/**
 * Discord in Chinese without an LLM key (issue 18): a channel subscribed with
 * `/subscribe language:zh` asks `/brief` and gets the zh extractive brief as an embed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handleInteraction } from '../../src/bots/discord-bot.ts';
import { loadConfig } from '../../src/config.ts';
import { SnapshotSchema } from '../../src/domain.ts';
import { openDb } from '../../src/store/db.ts';
import { insertBrief, insertRun, latestSendableBrief } from '../../src/store/runs.ts';
import { getSubscriber } from '../../src/store/subscribers.ts';
import { buildStories } from '../../src/stories/index.ts';
import { writeBrief } from '../../src/writers/choose-writer.ts';
import { fromPayload, loadInteraction, type RawInteraction } from '../fixtures/discord/interaction.ts';

describe('a Discord channel subscribed in zh', () => {
  it('gets the Chinese brief from /brief', async () => {
    const config = loadConfig({ env: {} });
    const db = openDb(':memory:');
    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.zh.json', import.meta.url), 'utf8')));
    const now = new Date(snapshot.takenAt);
    const stories = buildStories(snapshot.headlines, { now, maxAgeHours: 36, recentlyCovered: [], sourceWeights: {} });
    const { brief } = await writeBrief({ snapshot, stories, briefName: config.briefName, language: 'zh', now }, { mode: 'auto', llm: config.llm });
    insertBrief(db, insertRun(db, snapshot, 'test', now), brief, stories);
    const deps = { db, config, getLatestBrief: async (lang: string) => latestSendableBrief(db, lang, 'en')?.brief ?? null, now: () => now };

    const raw = loadInteraction('subscribe-moderator');
    const options = (raw.data.options ?? []).map((o) => (o.name === 'language' ? { ...o, value: 'zh' } : o));
    const subscribe = fromPayload({ ...raw, data: { ...raw.data, options } } as RawInteraction);
    await handleInteraction(subscribe, deps);
    const channel = raw.channel?.id ?? raw.channel_id ?? '';
    expect(getSubscriber(db, 'discord', channel)?.language).toBe('zh');

    const ask = fromPayload(loadInteraction('brief'));
    await handleInteraction(ask, deps);
    const edit = ask.calls.find((c) => c.method === 'editReply')!.body as { embeds: { title: string; description?: string; fields?: { name: string }[] }[] };
    expect(edit.embeds[0]!.title).toMatch(/^加密早报｜.+；.+/u);
    expect(edit.embeds[0]!.description ?? '').toContain('比特币现报91,235美元');
    const fields = edit.embeds.flatMap((e) => e.fields ?? []).map((f) => f.name);
    expect(fields).toContain('来源');
    expect(fields).not.toContain('Sources');
    db.close();
  });
});
