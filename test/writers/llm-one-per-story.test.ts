/**
 * The LLM writer gets the clusters the extractive writer gets (each story with its tellings and
 * outlets), and is held to one item per event: an answer telling one story twice is sent back
 * once, then replaced by the extractive brief. Against a real HTTP server on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Story } from '../../src/domain.ts';
import { writeBrief } from '../../src/writers/choose-writer.ts';
import { duplicateStories } from '../../src/writers/one-per-story.ts';
import { loadPromptTemplates, renderPrompt } from '../../src/writers/prompt.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/openai-server.ts';
import { API_KEY, GOOD_DRAFT, llmConfig, makeInput, STORIES, withItem } from './llm-fixtures.ts';

let fake: FakeOpenAi | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

/** The Fed-visit day: one event, several outlets, each with its own wording. */
const FED_VISIT: Story = {
  ...STORIES[0]!,
  id: 'st-visit',
  title: 'Trump presses Powell on rate cuts during rare Fed visit',
  sources: [
    { source: 'reuters', sourceName: 'Reuters', title: 'Trump presses Powell on rate cuts during rare Fed visit', url: 'https://news.example/visit', publishedAt: '2025-07-24T21:00:00.000Z' },
    { source: 'coinalertnews', sourceName: 'coinalertnews', title: 'Trump tours Fed renovation, says $3.1 billion cost is too much', url: 'https://coinalertnews.com/trump-fed-tour', publishedAt: '2025-07-24T21:30:00.000Z' },
    { source: 'cspan', sourceName: 'C-SPAN', title: 'Trump makes rare Fed visit, calls for lower interest rates', url: 'https://news.example/cspan', publishedAt: '2025-07-24T22:00:00.000Z' },
  ],
};

describe('the prompt carries the clusters', () => {
  it("lists a story's other tellings under it, each outlet by its name or host, never its id", () => {
    const input = makeInput({ stories: [FED_VISIT, ...STORIES.slice(1)] });
    const { system, user } = renderPrompt(loadPromptTemplates('prompts'), input, { maxStories: 8 });
    expect(user).toContain('[S1] Trump presses Powell on rate cuts during rare Fed visit');
    expect(user).toContain('Also told as (3 tellings, one event):');
    expect(user).toContain('- coinalertnews.com: Trump tours Fed renovation, says $3.1 billion cost is too much');
    expect(user).toContain('- C-SPAN: Trump makes rare Fed visit, calls for lower interest rates');
    expect(user).not.toMatch(/Outlets: [^\n]*coinalertnews(?!\.com)/);
    expect(system).toMatch(/one item per story/i);
  });
});

describe('one item per story', () => {
  it('flags the second item that cites a story an earlier item cites', () => {
    const byId = new Map(STORIES.map((s) => [s.id, s]));
    const items = [{ storyIds: ['st-beige'] }, { storyIds: ['st-jpm'] }, { storyIds: ['st-jpm', 'st-ibit'] }];
    expect(duplicateStories(items, byId)).toEqual([{ kind: 'duplicate-story', detail: 'tells the same story as item 2: one item per story', itemIndex: 2 }]);
    expect(duplicateStories([{ storyIds: ['st-beige'] }, { storyIds: [] }, { storyIds: [] }], byId)).toEqual([]);
  });

  it('an answer telling one story twice is repaired once; still twice, the extractive brief goes out', async () => {
    const twice = withItem(7, { text: 'JPMorgan economists now see a December rate cut.', storyIds: ['S2'], section: 'macro' });
    fake = await startFakeOpenAi([{ json: twice }, { json: twice }], { apiKey: API_KEY });
    const result = await writeBrief(makeInput(), { mode: 'auto', llm: llmConfig(fake.baseURL) });
    expect(result.brief.writer).toBe('extractive');
    expect(result.brief.writerReason).toBe('llm: grounding failed after repair: tells the same story as item 2: one item per story');
    const repair = fake.requests[1]!.body.messages!.at(-1)!.content;
    // The items are in section order by then: the JPMorgan repeat is the third.
    expect(repair).toContain('- item 3: tells the same story as item 2: one item per story');
    // What went out tells each story once.
    const cited = result.brief.items.flatMap((i) => i.storyIds);
    expect(new Set(cited).size).toBe(cited.length);
  });

  it('an answer that tells each story once is accepted as it is', async () => {
    fake = await startFakeOpenAi([{ json: GOOD_DRAFT }], { apiKey: API_KEY });
    const result = await writeBrief(makeInput(), { mode: 'auto', llm: llmConfig(fake.baseURL) });
    expect(result.brief.writer).toBe('llm');
  });
});
