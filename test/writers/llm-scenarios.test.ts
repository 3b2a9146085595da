/**
 * Every way an LLM answer goes wrong, against a real HTTP server on 127.0.0.1: each ends in the
 * right writer with the right recorded reason, and the brief that goes out always passes the
 * grounding check.
 */
import { checkBriefZh } from '../../src/writers/grounding-zh.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { costUsd, writeBrief, type WriteBriefResult } from '../../src/writers/choose-writer.ts';
import { checkBrief } from '../../src/writers/grounding.ts';
import type { WriterInput } from '../../src/writers/types.ts';
import { startFakeOpenAi, type FakeOpenAi, type Reply } from '../fakes/openai-server.ts';
import { API_KEY, GOOD_DRAFT, GOOD_DRAFT_ZH, llmConfig, makeInput, withItem } from './llm-fixtures.ts';

let fake: FakeOpenAi | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const WRONG_PRICE = withItem(2, { text: 'ETH rose 3.4% to $3,450 and BTC traded at $91,235, according to CoinGecko.', storyIds: [], section: 'prices' });
const NOWHERE_PCT = withItem(4, { text: "Nasdaq wants 12.7% more room for BlackRock's IBIT options.", storyIds: ['S3'], section: 'etf' });
const UNKNOWN_ID = withItem(6, { text: 'Securitize received EU approval to operate a tokenization trading system.', storyIds: ['S42'], section: 'regulation' });
const MADE_UP = withItem(7, { text: 'Coinbase announced it will list the XYZ token next week.', storyIds: [], section: 'exchange' });
const MADE_UP_BEHIND_ID = withItem(7, { text: 'Coinbase announced it will list the XYZ token next week.', storyIds: ['S7'], section: 'exchange' });

async function run(replies: Reply[], opts: { input?: WriterInput; llm?: Partial<Config['llm']>; whenEmpty?: Reply } = {}) {
  fake = await startFakeOpenAi(replies, { apiKey: API_KEY, ...(opts.whenEmpty ? { whenEmpty: opts.whenEmpty } : {}) });
  const input = opts.input ?? makeInput();
  const result = await writeBrief(input, { mode: 'auto', llm: llmConfig(fake.baseURL, opts.llm) });
  return { result, input, server: fake };
}

/** What every test asserts: nothing unverified went out, and no key leaked into the record. */
function expectSafe(result: WriteBriefResult, input: WriterInput) {
  expect(checkBrief(result.brief, input)).toEqual([]);
  const record = JSON.stringify([result.brief, result.attempts]);
  expect(record).not.toContain(API_KEY);
}

describe('an answer the grounding check accepts', () => {
  it('a good brief is accepted as is', async () => {
    const { result, input, server } = await run([{ json: GOOD_DRAFT, usage: { prompt_tokens: 1800, completion_tokens: 350 } }]);
    expect(result.brief.writer).toBe('llm');
    expect(result.brief.writerReason).toBeNull();
    expect(result.attempts).toEqual([{ writer: 'llm', ok: true, reason: null }]);
    expect(result.usage).toEqual({ tokensIn: 1800, tokensOut: 350 });
    expect(server.requests).toHaveLength(1);
    expectSafe(result, input);
  });

  it('a Chinese brief: the language goes into the prompt and the brief', async () => {
    const input = makeInput({ language: 'zh' });
    const { result, server } = await run([{ json: GOOD_DRAFT_ZH }], { input });
    expect(result.brief).toMatchObject({ writer: 'llm', language: 'zh', title: 'Mars Morning News | 以太坊重回3,000美元，币安面临10亿美元诉讼' });
    expect(result.brief.closing).toMatch(/^本摘要由 AI 模型/);
    const [system, user] = server.requests[0]!.body.messages!;
    expect(system!.content).toContain('Write the brief in Chinese (zh).');
    expect(user!.content).toContain('in Chinese (zh)');
    expectSafe(result, input);
  });
});

describe('one repair request, then the extractive brief', () => {
  it('a wrong price: repaired once, still wrong, extractive goes out with the reason', async () => {
    const { result, input, server } = await run([{ json: WRONG_PRICE }, { json: WRONG_PRICE }]);
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: grounding failed after repair: price $3,450 not in data');
    expect(result.attempts).toEqual([
      { writer: 'llm', ok: false, reason: 'grounding: price $3,450 not in data' },
      { writer: 'llm-repair', ok: false, reason: 'grounding failed after repair: price $3,450 not in data' },
      { writer: 'extractive', ok: true, reason: null },
    ]);
    // The repair continues the conversation and lists the violation with its item.
    const repair = server.requests[1]!.body.messages!;
    expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair[2]!.content).toContain('$3,450');
    expect(repair[3]!.content).toContain('- item 3: price $3,450 not in data');
    // Tokens of both calls are counted.
    const [first, second] = server.requests.map((r) => r.body.messages!.map((m) => m.content).join('\n').length);
    expect(result.usage!.tokensIn).toBe(Math.ceil(first! / 4) + Math.ceil(second! / 4));
    expectSafe(result, input);
  });

  it('a wrong price fixed by the repair: the LLM brief goes out and says it was repaired', async () => {
    const { result, input } = await run([{ json: WRONG_PRICE }, { json: GOOD_DRAFT }]);
    expect(result.brief.writer).toBe('llm');
    expect(result.brief.writerReason).toBe('llm: accepted after one repair (grounding: price $3,450 not in data)');
    expect(result.attempts.map((a) => [a.writer, a.ok])).toEqual([
      ['llm', false],
      ['llm-repair', true],
    ]);
    expectSafe(result, input);
  });

  it('a wrong price, then the repair request fails: extractive, both reasons recorded, first tokens kept', async () => {
    const { result, input } = await run([{ json: WRONG_PRICE, usage: { prompt_tokens: 2000, completion_tokens: 400 } }], { whenEmpty: { status: 500 } });
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: repair request failed: HTTP 500 after 1 retry: HTTP 500 (first answer: grounding: price $3,450 not in data)');
    expect(result.usage).toEqual({ tokensIn: 2000, tokensOut: 400 });
    expectSafe(result, input);
  });

  it('a percentage that appears nowhere', async () => {
    const { result, input } = await run([{ json: NOWHERE_PCT }, { json: NOWHERE_PCT }]);
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: grounding failed after repair: percentage 12.7% not in data');
    expectSafe(result, input);
  });

  it('a story id that does not exist', async () => {
    const { result, input, server } = await run([{ json: UNKNOWN_ID }, { json: UNKNOWN_ID }]);
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: grounding failed after repair: cites story "S42", which is not among the input stories');
    expect(server.requests[1]!.body.messages!.at(-1)!.content).toContain('- item 7: cites story "S42"');
    expectSafe(result, input);
  });

  it('a made-up story without an id', async () => {
    const { result, input } = await run([{ json: MADE_UP }, { json: MADE_UP }]);
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe(
      'llm: grounding failed after repair: cites no story and is not a market-data sentence: "Coinbase announced it will list the XYZ token next week."',
    );
    expectSafe(result, input);
  });

  it('a made-up story behind a real id', async () => {
    const { result, input } = await run([{ json: MADE_UP_BEHIND_ID }, { json: MADE_UP_BEHIND_ID }]);
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe(`llm: grounding failed after repair: is not about the story it cites ("Tether CEO responds to S&P's credit rating downgrade")`);
    expectSafe(result, input);
  });

  it('invalid JSON twice', async () => {
    const broken = '{"title": "Mars Morning News | ETH returns to $3,000", "leadA": ';
    const { result, input, server } = await run([{ content: broken }, { content: broken }]);
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: invalid JSON in the answer after repair');
    expect(server.requests[1]!.body.messages!.at(-1)!.content).toContain('- invalid JSON in the answer');
    expect(result.usage!.tokensOut).toBe(2 * Math.ceil(broken.length / 4));
    expectSafe(result, input);
  });

  it('invalid JSON, then a good answer', async () => {
    const { result, input } = await run([{ content: 'Sure! Here is the brief: {' }, { json: GOOD_DRAFT }]);
    expect(result.brief.writer).toBe('llm');
    expect(result.brief.writerReason).toBe('llm: accepted after one repair (invalid JSON in the answer)');
    expectSafe(result, input);
  });

  it('an empty answer twice', async () => {
    const { result, input } = await run([{ content: '' }, { content: null }]);
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: empty answer after repair');
    expectSafe(result, input);
  });
});

describe('transport failures: the SDK retries, then the extractive brief goes out', () => {
  it('429 with retry-after, then success: the LLM brief goes out', async () => {
    const { result, input, server } = await run([{ status: 429, message: 'Rate limit reached', headers: { 'retry-after': '0.05' } }, { json: GOOD_DRAFT }]);
    expect(result.brief.writer).toBe('llm');
    expect(result.attempts).toEqual([{ writer: 'llm', ok: true, reason: null }]);
    expect(server.requests).toHaveLength(2);
    expectSafe(result, input);
  });

  it('500 every time: one retry, no repair, the reason names the status', async () => {
    const { result, input, server } = await run([], { whenEmpty: { status: 500, message: 'The server had an error while processing your request.' } });
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: HTTP 500 after 1 retry: The server had an error while processing your request.');
    expect(server.requests).toHaveLength(2);
    expect(result.usage).toBeNull();
    expectSafe(result, input);
  });

  it('a reply slower than the timeout', async () => {
    const slow: Reply = { delayMs: 1500, then: { json: GOOD_DRAFT } };
    const { result, input, server } = await run([], { whenEmpty: slow, llm: { timeoutMs: 300 } });
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: timeout after 300 ms');
    expect(server.requests).toHaveLength(2);
    expectSafe(result, input);
  });

  it('a Chinese brief that falls back gets the zh extractive brief (issue 18)', async () => {
    const input = makeInput({ language: 'zh' });
    const { result } = await run([], { input, whenEmpty: { status: 503 } });
    expect(result.brief.language).toBe('zh');
    expect(result.brief.title).toMatch(/^Mars Morning News｜.+；.+$/u);
    expect(result.brief.writerReason).toBe('llm: HTTP 503 after 1 retry: HTTP 503');
    expect(checkBriefZh(result.brief, input)).toEqual([]);
  });
});

describe('choosing the writer', () => {
  it('auto without a key writes extractively and calls nothing', async () => {
    const input = makeInput();
    const result = await writeBrief(input, { mode: 'auto', llm: { ...llmConfig('http://127.0.0.1:9/v1'), apiKey: undefined } as Config['llm'] });
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('auto: no LLM configured (OPENAI_API_KEY unset)');
    expect(result.usage).toBeNull();
    expectSafe(result, input);
  });

  it('extractive mode never calls the LLM even with a key', async () => {
    fake = await startFakeOpenAi([{ json: GOOD_DRAFT }], { apiKey: API_KEY });
    const input = makeInput();
    const result = await writeBrief(input, { mode: 'extractive', llm: llmConfig(fake.baseURL) });
    expect(result.brief).toMatchObject({ writer: 'extractive', writerReason: null });
    expect(fake.requests).toHaveLength(0);
    expectSafe(result, input);
  });

  it('prompts given by the caller replace the files (replay --prompts); a bad placeholder falls back without a call', async () => {
    fake = await startFakeOpenAi([{ json: GOOD_DRAFT }], { apiKey: API_KEY });
    const input = makeInput();
    const custom = { system: 'Terse editor of {{briefName}}. JSON only.', user: 'Facts:\n{{facts}}\nStories:\n{{stories}}' };
    const ok = await writeBrief(input, { mode: 'llm', llm: llmConfig(fake.baseURL), prompts: custom });
    expect(ok.brief.writer).toBe('llm');
    expect(fake.requests[0]!.body.messages![0]!.content).toBe('Terse editor of Mars Morning News. JSON only.');

    const bad = await writeBrief(input, { mode: 'llm', llm: llmConfig(fake.baseURL), prompts: { ...custom, user: '{{factz}}' } });
    expect(bad.brief.writer).toBe('extractive');
    expect(bad.brief.writerReason).toBe('llm: prompt template uses unknown placeholder(s): {{factz}}');
    expect(fake.requests).toHaveLength(1);
    expectSafe(bad, input);
  });

  it('costUsd prices tokens in and out, and is null without prices', () => {
    expect(costUsd({ tokensIn: 3000, tokensOut: 400 }, { priceInPerMTok: 0.15, priceOutPerMTok: 0.6 })).toBeCloseTo(0.00069, 10);
    expect(costUsd({ tokensIn: 3000, tokensOut: 400 }, {})).toBeNull();
    expect(costUsd(null, { priceInPerMTok: 1, priceOutPerMTok: 1 })).toBeNull();
  });
});
