/**
 * `run`/`replay` keep stdout for the brief: the writer's reasons and refusals ("llm: grounding
 * failed after repair: price $99,999 ...") go to stderr, and `--json` has them in their own field.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import { startFakeOpenAi, type FakeOpenAi } from './fakes/openai-server.ts';

/** A draft with an invented price, refused by grounding (twice: first answer and repair). */
const BAD_DRAFT = {
  title: 'Morning Brief | BTC soars to $99,999, ETH steady',
  leadA: 'BTC soars to $99,999',
  leadB: 'ETH steady',
  items: [
    { text: 'BTC soars to $99,999, according to CoinGecko.', storyIds: [], section: 'prices' },
    { text: 'ETH steady near $3,012.', storyIds: [], section: 'prices' },
  ],
};

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi([], { apiKey: 'sk-test-key', whenEmpty: { json: BAD_DRAFT } });
});
afterAll(async () => {
  await fake.close();
});

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const env = { OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: fake.baseURL, LLM_MAX_RETRIES: '0', MORNING_BRIEF_CONFIG: '' };
  const code = await main(args, { stdout, stderr, env, isTTY: false });
  return { code, out, err };
}

describe('diagnostics on stderr', () => {
  it("prints the brief on stdout and the LLM's refusal on stderr", async () => {
    const r = await cli(['replay', 'examples/snapshot.json', '--no-store', '--writer', 'llm']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Morning Brief \| /);
    expect(r.out).not.toContain('grounding');
    expect(r.out).not.toContain('$99,999');
    expect(r.err).toMatch(/\(llm: grounding failed after repair: .*\$99,999/);
  });

  it('--json keeps the reason in its own field, and the brief text clean', async () => {
    const r = await cli(['replay', 'examples/snapshot.json', '--no-store', '--writer', 'llm', '--json']);
    const parsed = JSON.parse(r.out) as { brief: { writerReason: string; items: { text: string }[]; notes: string[] }; attempts: { reason: string | null }[] };
    expect(parsed.brief.writerReason).toMatch(/^llm: grounding failed after repair/);
    expect(parsed.brief.items.map((i) => i.text).join(' ')).not.toContain('99,999');
    expect(parsed.attempts.some((a) => a.reason?.includes('$99,999'))).toBe(true);
    expect(r.err).toBe('');
  });
});
