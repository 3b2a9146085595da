/**
 * Notes are for readers: plain words, each once, nothing about sources the operator switched
 * off; the LLM is shown only current figures.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot, SourceStatus } from '../../src/domain.ts';
import { renderText } from '../../src/render/text.ts';
import { writeBrief } from '../../src/writers/choose-writer.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { buildNotes } from '../../src/writers/extractive/notes.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai-server.ts';
import { API_KEY, GOOD_DRAFT, llmConfig, makeInput, SNAPSHOT, STORIES } from './llm-fixtures.ts';

let fake: FakeOpenAi | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const status = (id: string, ok = true, error: string | null = null): SourceStatus => ({ id, ok, error, ms: 10, items: ok ? 1 : 0, notModified: false, fallback: null });

describe('notes', () => {
  it('says a failed source in plain words, without its status code, URL or server message', () => {
    const snapshot: Snapshot = { ...SNAPSHOT, statuses: [...SNAPSHOT.statuses, status('feed:sec', false, 'HTTP 403 from https://www.sec.gov/news/pressreleases.rss: Your Request Originates from an Undeclared Automated Tool')] };
    const notes = buildNotes(snapshot, { stories: STORIES });
    expect(notes).toEqual(['SEC press releases were unavailable this morning.']);
  });

  it('does not call a source the operator switched off "missing", but does one that ran and gave nothing', () => {
    const noOdds: Snapshot = { ...SNAPSHOT, indicators: SNAPSHOT.indicators.filter((i) => i.id !== 'fomc_odds') };
    expect(buildNotes(noOdds, { stories: STORIES })).toEqual([]); // no polymarket status: switched off
    const ranEmpty: Snapshot = { ...noOdds, statuses: [...noOdds.statuses, status('polymarket')] };
    expect(buildNotes(ranEmpty, { stories: STORIES })).toEqual(['No FOMC odds.']);
  });

  it('writes "No market data" once when every source failed', () => {
    const ids = ['coingecko', 'fear_greed', 'fred', 'polymarket', 'etf_flows', 'feed:coindesk'];
    const snapshot: Snapshot = { takenAt: SNAPSHOT.takenAt, quotes: [], indicators: [], headlines: [], statuses: ids.map((id) => status(id, false, 'timed out after 10000 ms')) };
    const brief = writeExtractive(makeInput({ snapshot, stories: [] }));
    const text = renderText(brief);
    expect(text.match(/No market data/g)).toHaveLength(2); // the title's lead, and the one sentence saying nothing was gathered
    expect(text).not.toMatch(/^No market data$/m); // no bare market line repeating it
    expect(text).not.toContain('timed out');
    expect(brief.marketLine).toBe('');
    expect(new Set(brief.notes).size).toBe(brief.notes.length);
    expect(brief.notes).toHaveLength(6);
  });
});

describe('the LLM sees only current figures', () => {
  it('leaves a stale price out of the prompt', async () => {
    fake = await startFakeOpenAi([{ json: GOOD_DRAFT }], { apiKey: API_KEY });
    const snapshot: Snapshot = { ...SNAPSHOT, quotes: SNAPSHOT.quotes.map((q) => (q.symbol === 'SOL' ? { ...q, priceUsd: 99.99, asOf: '2025-04-03T00:00:00.000Z' } : q)) };
    await writeBrief(makeInput({ snapshot }), { mode: 'llm', llm: llmConfig(fake.baseURL) });
    const prompt = fake.requests[0]!.body.messages!.map((m) => m.content).join('\n');
    expect(prompt).toContain('$3,012');
    expect(prompt).not.toContain('$99.99');
  });

  it('shows a stale rate with its date, to be written only with it', async () => {
    fake = await startFakeOpenAi([{ json: GOOD_DRAFT }], { apiKey: API_KEY });
    const snapshot: Snapshot = { ...SNAPSHOT, indicators: SNAPSHOT.indicators.map((i) => (i.id === 'fed_funds' ? { ...i, value: 3.63, asOf: '2025-04-03T00:00:00.000Z' } : i)) };
    await writeBrief(makeInput({ snapshot }), { mode: 'llm', llm: llmConfig(fake.baseURL) });
    const user = fake.requests[0]!.body.messages![1]!.content;
    expect(user).toContain('- Fed funds rate: 3.63% on 3 Apr (out of date: write it only with this date, or leave it out)');
    expect(user).not.toMatch(/Fed funds rate: 3\.63%;|Fed funds rate: 3\.63% \[/);
  });
});
