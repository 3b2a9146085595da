/**
 * Prompt size for the LLM writer: tokens in (system + user, about 4 characters a token) as
 * the number of gathered stories grows, and tokens out for a typical answer. Shows the prompt
 * is bounded by `llm.maxStories` and `llm.summaryChars`, not by how much was gathered.
 * Run: npx tsx bench/llm-prompt.bench.ts [examples/snapshot.json]
 */
import { readFileSync } from 'node:fs';
import { SnapshotSchema, type Story } from '../src/domain.ts';
import { buildStories } from '../src/stories/index.ts';
import { approxTokens, buildPrompt } from '../src/writers/prompt.ts';
import { writeExtractive } from '../src/writers/extractive.ts';

const path = process.argv[2] ?? 'examples/snapshot.json';
const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
const base = buildStories(snapshot.headlines, { now: new Date(snapshot.takenAt), maxAgeHours: 72, recentlyCovered: [], sourceWeights: {} });

function padded(n: number): Story[] {
  return Array.from({ length: n }, (_, i) => {
    const s = base[i % Math.max(1, base.length)]!;
    return { ...s, id: `${s.id}-${i}`, summary: `${s.summary} ${'Filler sentence from a long feed summary. '.repeat(40)}` };
  });
}

console.log(`snapshot: ${path} (${snapshot.headlines.length} headlines -> ${base.length} stories)`);
console.log('stories gathered | maxStories | prompt chars | tokens in (approx)');
for (const [n, max] of [[base.length, 24], [50, 24], [200, 24], [2000, 24], [2000, 12], [2000, 40]] as const) {
  const stories = n === base.length ? base : padded(n);
  const input = { snapshot, stories, briefName: 'Mars Morning News', language: 'en', now: new Date(snapshot.takenAt) };
  const { system, user } = buildPrompt(input, { maxStories: max, promptsDir: 'prompts' });
  const chars = system.length + user.length;
  console.log(`${String(stories.length).padStart(16)} | ${String(max).padStart(10)} | ${String(chars).padStart(12)} | ${approxTokens(system + user)}`);
}
// Tokens out: the extractive brief's items and leads as JSON are about the size of a model answer.
const brief = writeExtractive({ snapshot, stories: base, briefName: 'Mars Morning News', language: 'en', now: new Date(snapshot.takenAt) });
const answer = JSON.stringify({ title: brief.title, leadA: brief.leads[0], leadB: brief.leads[1], items: brief.items.map((i) => ({ text: i.text, storyIds: i.storyIds.map(() => 'S1'), section: i.section })) });
console.log(`typical answer: ${brief.items.length} items, ${answer.length} chars, ~${approxTokens(answer)} tokens out`);
