/**
 * Untrusted text is cleaned where it enters: titles capped (~300) and summaries capped, C0/C1
 * controls, escape sequences and bidi overrides removed, so a 10,000-character headline is one
 * Telegram message and one Discord message, and nothing from a feed reaches a terminal raw.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { loadConfig } from '../src/config.ts';
import type { Headline, Snapshot } from '../src/domain.ts';
import { silentLogger } from '../src/log.ts';
import { runBrief } from '../src/pipeline.ts';
import { renderDiscord } from '../src/render/discord-embed.ts';
import { renderBriefPage } from '../src/render/html-page.ts';
import { renderTelegram } from '../src/render/telegram-html.ts';
import { renderText } from '../src/render/text.ts';
import { toHeadlines } from '../src/sources/feed/feed-source.ts';
import { parseFeed } from '../src/sources/feed/parse.ts';
import { memoryFeedCache } from '../src/store/feed-cache.ts';
import { cleanSummary, cleanTitle, stripControls, terminalSafe, TITLE_MAX_CHARS, truncateAtWord } from '../src/util/clean-text.ts';
import { realSleep } from '../src/util/http.ts';
import { captureIo } from './helpers/capture-io.ts';
import { sampleBrief } from './helpers/sample-brief.ts';

/** NUL, BEL, a colour escape, an OSC 8 hyperlink, a C1 CSI clear-screen, bidi overrides and isolates. */
const HOSTILE = '\u0000\u0007\u001b[31m\u001b]8;;https://evil.example\u0007\u009b2J\u202e\u2066\u2069\u202a';
/** Anything that must never come out: controls (tab and newline aside), C1, bidi controls. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const FILLER = ' and the market moved again while traders watched the screens';
function long(text: string, length = 10_000): string {
  let out = `${HOSTILE}${text}`;
  while (out.length < length) out += FILLER;
  return out.slice(0, length);
}

const BASE = JSON.parse(readFileSync(new URL('../examples/snapshot.json', import.meta.url), 'utf8')) as Snapshot;

/** The story the bundled brief leads with; its headlines become 10,000 characters long. */
const LEAD = /Beige Book/;

/** The bundled day's headlines as hostile feeds: controls in every title and summary, the lead story's titles 10,000 characters. */
function hostileFeedXml(headlines: readonly Headline[]): string {
  const items = headlines
    .map((h) => `<item><title>${LEAD.test(h.title) ? long(h.title) : `${HOSTILE}${h.title}`}</title><link>${h.url}</link><pubDate>${h.publishedAt ? new Date(h.publishedAt).toUTCString() : ''}</pubDate><description>${HOSTILE}${h.summary}\t(more)</description></item>`)
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${HOSTILE}Feed</title>${items}</channel></rss>`;
}

/** The bundled snapshot, its headlines read back through the feed reader from hostile feeds. */
function snapshotThroughReader(): Snapshot {
  const bySource = new Map<string, Headline[]>();
  for (const h of BASE.headlines) bySource.set(h.source, [...(bySource.get(h.source) ?? []), h]);
  const headlines = [...bySource].flatMap(([id, hs]) =>
    toHeadlines(parseFeed(new TextEncoder().encode(hostileFeedXml(hs)), { url: `https://${id}.example/rss` }), { id, name: hs[0]!.sourceName }),
  );
  return { ...BASE, headlines };
}

describe('clean-text', () => {
  it('removes escape sequences whole, controls, C1 and bidi overrides; titles lose tabs and newlines, summaries keep them', () => {
    expect(stripControls(`a${HOSTILE}b`)).toBe('ab');
    expect(stripControls('x\u001b[1;31mred\u001b[0m y')).toBe('xred y');
    expect(cleanTitle('  Big\n\tnews \u202Egnp.exe  ')).toBe('Big news gnp.exe');
    expect(cleanSummary('First line.\u0000\r\n\tSecond\u0085 line.\n\n\n\nThird.')).toBe('First line.\n\tSecond line.\n\nThird.');
    expect(terminalSafe('ok\n\u001b]0;pwned\u0007done\t!')).toBe('ok\ndone\t!');
  });

  it('caps a title at about 300 characters, at a word boundary, with an ellipsis', () => {
    const title = cleanTitle(long('Bitcoin rallies'));
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect(title.length).toBeGreaterThan(TITLE_MAX_CHARS * 0.6);
    expect(title).toMatch(/^Bitcoin rallies and the market.*\w…$/);
    expect(long('Bitcoin rallies')).toContain(title.slice(0, -1));
    expect(truncateAtWord('x'.repeat(500), 300)).toBe(`${'x'.repeat(299)}…`);
    expect(cleanSummary('word '.repeat(400)).length).toBeLessThanOrEqual(1000);
  });

  it('the feed reader cleans titles and summaries where they enter', () => {
    const feed = parseFeed(new TextEncoder().encode(hostileFeedXml(BASE.headlines.slice(0, 3))));
    expect(feed.title).toBe('Feed');
    for (const item of feed.items) {
      expect(item.title.length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
      expect(item.title).not.toMatch(UNSAFE);
      expect(item.summary).not.toMatch(UNSAFE);
    }
  });
});

describe('a 10,000-character hostile headline through the brief and the renderers', () => {
  it('is one Telegram message and one Discord message per subscriber, with nothing unsafe in any rendering', async () => {
    const snapshot = snapshotThroughReader();
    const config = loadConfig({ env: {} });
    const result = await runBrief(
      { config, db: null, http: { fetch, sleep: realSleep }, now: () => new Date(snapshot.takenAt), log: silentLogger(), feedCache: memoryFeedCache() },
      { trigger: 'test', writer: 'extractive', snapshot },
    );
    const { brief } = result;
    expect(snapshot.headlines.filter((h) => LEAD.test(h.title)).length).toBeGreaterThan(0);
    expect(brief.sources.some((s) => LEAD.test(s.title))).toBe(true);
    expect(brief.sources.every((s) => s.title.length <= TITLE_MAX_CHARS)).toBe(true);

    const telegram = renderTelegram(brief);
    const discord = renderDiscord(brief);
    expect(telegram).toHaveLength(1);
    expect(discord).toHaveLength(1);
    const page = renderBriefPage({ id: 1, runId: 1, edition: 'default', brief, stories: result.stories, tokensIn: null, tokensOut: null, costUsd: null });
    for (const out of [renderText(brief), ...telegram, JSON.stringify(discord), page]) expect(out).not.toMatch(UNSAFE);
  });

  it('a brief stored before cleaning existed still renders with no control or bidi override', () => {
    const brief = sampleBrief({ title: `Old ${HOSTILE} title`, marketLine: `BTC \u202E$91,235` });
    const page = renderBriefPage({ id: 1, runId: 1, edition: 'default', brief, stories: [], tokensIn: null, tokensOut: null, costUsd: null });
    for (const out of [...renderTelegram(brief), JSON.stringify(renderDiscord(brief)), page]) expect(out).not.toMatch(UNSAFE);
  });
});

describe('what the CLI prints to a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mb-clean-'));
  const env = { MORNING_BRIEF_DB: join(dir, 'brief.db'), MORNING_BRIEF_CONFIG: '', OPENAI_API_KEY: '' };
  async function cli(args: string[]) {
    const { stdout, stderr, text } = captureIo();
    const code = await main(args, { stdout, stderr, env, isTTY: false });
    return { code, out: text.out, err: text.err };
  }

  it('`feed`, `replay` (then `show`) and `history` carry no escape sequence, control or bidi override from outside', async () => {
    const feedFile = join(dir, 'hostile.xml');
    writeFileSync(feedFile, hostileFeedXml(BASE.headlines.slice(0, 5)));
    const feed = await cli(['feed', feedFile]);
    expect(feed.code).toBe(0);
    expect(feed.out).toContain('Feed');
    expect(feed.out).not.toMatch(UNSAFE);

    // A snapshot file written by someone else: raw hostile 10,000-character titles.
    const snapshotFile = join(dir, 'hostile-snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify({ ...BASE, headlines: BASE.headlines.map((h) => ({ ...h, title: LEAD.test(h.title) ? long(h.title) : `${HOSTILE}${h.title}`, summary: `${HOSTILE}${h.summary}` })) }));
    const replay = await cli(['replay', snapshotFile, '--writer', 'extractive']);
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out).toContain('Sources:');
    expect(replay.out).not.toMatch(UNSAFE);
    const briefId = /Stored as brief (\d+)/.exec(replay.err)?.[1];
    expect(briefId).toBeDefined();
    const show = await cli(['show', briefId!]);
    expect(show.code).toBe(0);
    expect(show.out).not.toMatch(UNSAFE);
    const json = await cli(['show', briefId!, '--json']);
    expect(json.out).not.toMatch(UNSAFE);
    expect((await cli(['history'])).out).not.toMatch(UNSAFE);
  });
});
