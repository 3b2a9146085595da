import { afterEach, describe, expect, it } from 'vitest';
import { LlmError, writeLlm } from '../../src/writers/llm.ts';
import { startFakeOpenAi, type FakeOpenAi, type Reply } from '../fakes/openai-server.ts';
import { API_KEY, GOOD_DRAFT, llmConfig, makeInput } from './llm-fixtures.ts';

let fake: FakeOpenAi | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function serve(replies: Reply[], whenEmpty?: Reply): Promise<FakeOpenAi> {
  fake = await startFakeOpenAi(replies, { apiKey: API_KEY, ...(whenEmpty ? { whenEmpty } : {}) });
  return fake;
}

describe('writeLlm talks chat completions to any OpenAI-compatible server', () => {
  it('sends the key, model, settings, prompts and a json_schema response format', async () => {
    const server = await serve([{ json: GOOD_DRAFT }]);
    await writeLlm(makeInput(), { llm: llmConfig(server.baseURL, { temperature: 0.3, maxTokens: 900 }) });
    const [req] = server.requests;
    expect(req!.path).toBe('/v1/chat/completions');
    expect(req!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req!.body).toMatchObject({ model: 'fake-model', temperature: 0.3, max_tokens: 900 });
    expect(req!.body.response_format?.type).toBe('json_schema');
    expect(req!.body.response_format?.json_schema).toMatchObject({ name: 'morning_brief', strict: true });
    expect(JSON.stringify(req!.body.response_format?.json_schema?.schema)).toContain('"storyIds"');
    const [system, user] = req!.body.messages!;
    expect(system).toMatchObject({ role: 'system' });
    expect(system!.content).toContain('Mars Morning News | <lead A>, <lead B>');
    expect(user!.content).toContain('ETH (Ethereum): price $3,012; 24h change +3.4%');
    expect(user!.content).toContain("[S3] Nasdaq seeks to raise position limit on BlackRock's IBIT options");
  });

  it('uses json_object (with "JSON" in the prompt) and max_completion_tokens when configured', async () => {
    const server = await serve([{ json: GOOD_DRAFT }]);
    await writeLlm(makeInput(), { llm: llmConfig(server.baseURL, { responseFormat: 'json_object', maxTokensParam: 'max_completion_tokens' }) });
    const body = server.requests[0]!.body;
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.max_completion_tokens).toBe(1200);
    expect(body.max_tokens).toBeUndefined();
    expect(body.messages!.map((m) => m.content).join('\n')).toMatch(/JSON/);
  });

  it('returns a Brief in section order with real story ids, the name in the title and the server usage', async () => {
    const shuffled = { ...GOOD_DRAFT, items: [...GOOD_DRAFT.items].reverse() };
    const server = await serve([{ json: shuffled, usage: { prompt_tokens: 1500, completion_tokens: 320 } }]);
    const { brief, usage } = await writeLlm(makeInput(), { llm: llmConfig(server.baseURL) });
    expect(usage).toEqual({ tokensIn: 1500, tokensOut: 320 });
    expect(brief.writer).toBe('llm');
    expect(brief.title).toBe('Mars Morning News | ETH returns to $3,000, Binance faces $1 billion lawsuit');
    expect(brief.items.map((i) => i.section)).toEqual(['macro', 'macro', 'prices', 'prices', 'etf', 'exchange', 'regulation', 'other']);
    expect(brief.items.find((i) => i.text.startsWith('Binance'))!.storyIds).toEqual(['st-binance']);
    expect(brief.sources.map((s) => s.url)).toContain('https://news.example/st-binance');
    expect(brief.marketLine).toContain('ETH $3,012 (+3.4%)');
    expect(brief.closing).toContain('fake-model');
  });

  it('sends through an injected fetch when one is given', async () => {
    const server = await serve([{ json: GOOD_DRAFT }]);
    const seen: string[] = [];
    const recording: typeof fetch = (url, init) => {
      seen.push(String(url));
      return fetch(url, init);
    };
    await writeLlm(makeInput(), { llm: llmConfig(server.baseURL), fetch: recording });
    expect(seen).toEqual([`${server.baseURL}/chat/completions`]);
  });

  it('accepts an answer wrapped in a Markdown fence', async () => {
    const server = await serve([{ content: '```json\n' + JSON.stringify(GOOD_DRAFT) + '\n```' }]);
    const { brief } = await writeLlm(makeInput(), { llm: llmConfig(server.baseURL) });
    expect(brief.leads).toEqual(['ETH returns to $3,000', 'Binance faces $1 billion lawsuit']);
  });

  it('a wrong key: HTTP 401 without the key (or the part the server quotes) in the reason', async () => {
    const server = await serve([]);
    const err = await writeLlm(makeInput(), { llm: llmConfig(server.baseURL, { apiKey: 'sk-wrong-key-987654321' }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).message).toBe('HTTP 401 from the LLM server (check the API key and model access)');
    expect((err as LlmError).message).not.toMatch(/4321|sk-/);
    expect(server.requests).toHaveLength(1);
  });

  it('an answer cut at max tokens is reported as such, with the tokens it used', async () => {
    const server = await serve([{ content: '{"title": "Mars Morning News | ETH', finishReason: 'length' }]);
    const err = (await writeLlm(makeInput(), { llm: llmConfig(server.baseURL, { maxTokens: 10 }) }).catch((e: unknown) => e)) as LlmError;
    expect(err.kind).toBe('truncated');
    expect(err.message).toBe('answer cut at max tokens (10)');
    expect(err.repairable).toBe(true);
    expect(err.usage!.tokensIn).toBeGreaterThan(0);
  });

  it('an answer in the wrong shape names the field', async () => {
    const server = await serve([{ json: { ...GOOD_DRAFT, items: [] } }]);
    const err = (await writeLlm(makeInput(), { llm: llmConfig(server.baseURL) }).catch((e: unknown) => e)) as LlmError;
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/^answer does not match the brief schema: items /);
  });
});
