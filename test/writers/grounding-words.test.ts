/**
 * What grounding used to miss: numbers written in words, and direction words against the sign
 * of the data, for both writers (the LLM's draft is refused and repaired or replaced; the
 * extractive writer's own sentences pass on a day that fell).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeBrief } from '../../src/writers/choose-writer.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { checkBrief } from '../../src/writers/grounding.ts';
import { extractNumbers } from '../../src/writers/numbers.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai-server.ts';
import { API_KEY, GOOD_DRAFT, llmConfig, makeInput, SNAPSHOT, withItem } from './llm-fixtures.ts';

let fake: FakeOpenAi | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const one = (text: string) => extractNumbers(text).map((m) => ({ kind: m.kind, value: m.value }));

describe('numbers in words', () => {
  it('reads words with a scale or a unit as claims', () => {
    expect(one('ETFs took in fifteen billion dollars')).toEqual([{ kind: 'usd', value: 15e9 }]);
    expect(one('a quarter point cut')).toEqual([{ kind: 'bps', value: 25 }]);
    expect(one('a quarter-point cut')).toEqual([{ kind: 'bps', value: 25 }]);
    expect(one('a half-point hike')).toEqual([{ kind: 'bps', value: 50 }]);
    expect(one('half a percent')).toEqual([{ kind: 'percent', value: 0.5 }]);
    expect(one('twenty-five basis points')).toEqual([{ kind: 'bps', value: 25 }]);
    expect(one('up fourteen points')).toEqual([{ kind: 'plain', value: 14 }]);
    expect(one('half a billion dollars')).toEqual([{ kind: 'usd', value: 5e8 }]);
  });

  it('leaves words without a scale or unit alone', () => {
    expect(one('one of the largest funds, two outlets report')).toEqual([]);
  });

  it('refuses a number in words the data does not have, and accepts one it has', () => {
    const input = makeInput();
    const said = (text: string) => checkBrief(withItemBrief(text), input).map((v) => v.kind);
    const withItemBrief = (text: string) => ({ ...writeExtractive(input), items: [...writeExtractive(input).items, { text, storyIds: [], section: 'etf' as const }] });
    expect(said('Spot bitcoin ETFs took in fifteen billion dollars.')).toEqual(['ungrounded-number']);
    expect(said('The 10-year yield rose two basis points.')).toEqual([]);
    expect(said('The 10-year yield rose half a percent.')).toEqual(['ungrounded-number']);
  });
});

describe('direction words against the data', () => {
  const input = makeInput();
  const brief = (text: string) => ({ ...writeExtractive(input), items: [...writeExtractive(input).items, { text, storyIds: [], section: 'prices' as const }] });

  it('refuses "ETH fell" when ETH rose, "outflows" on an inflow day, "Fear & Greed dropped" when it rose', () => {
    for (const text of ['ETH fell 3.4% to $3,012.', 'Spot bitcoin ETFs saw net outflows of $128.7 million.', 'Fear & Greed dropped to 25 from 11.']) {
      expect(checkBrief(brief(text), input).map((v) => v.kind)).toEqual(['wrong-direction']);
    }
  });

  it('accepts the same sentences with the right direction, and a story that says otherwise', () => {
    for (const text of ['ETH rose 3.4% to $3,012.', 'Spot bitcoin ETFs saw net inflows of $128.7 million.', 'Fear & Greed rose to 25 from 11.']) {
      expect(checkBrief(brief(text), input)).toEqual([]);
    }
  });

  it('the extractive writer passes on a day that fell', () => {
    const down = makeInput({ snapshot: { ...SNAPSHOT, quotes: SNAPSHOT.quotes.map((q) => ({ ...q, change24hPct: -6.2 })) } });
    const written = writeExtractive(down);
    expect([written.title, ...written.items.map((i) => i.text)].join(' ')).toMatch(/\bfell\b|\bfalls\b/);
    expect(checkBrief(written, down)).toEqual([]);
  });

  it("the LLM's draft with a wrong direction is refused twice and the extractive brief goes out, saying why", async () => {
    const wrong = withItem(2, { text: 'ETH fell 3.4% to $3,012 and BTC traded at $91,235, according to CoinGecko.', storyIds: [], section: 'prices' });
    fake = await startFakeOpenAi([{ json: wrong }, { json: wrong }], { apiKey: API_KEY });
    const result = await writeBrief(input, { mode: 'llm', llm: llmConfig(fake.baseURL) });
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toMatch(/grounding failed after repair: says ETH fell/);
    // The repair request told the model what was wrong.
    expect(fake.requests[1]!.body.messages!.at(-1)!.content).toContain('says ETH fell');
  });

  it("the LLM's good draft still passes", async () => {
    fake = await startFakeOpenAi([{ json: GOOD_DRAFT }], { apiKey: API_KEY });
    expect((await writeBrief(input, { mode: 'llm', llm: llmConfig(fake.baseURL) })).brief.writer).toBe('llm');
  });
});
