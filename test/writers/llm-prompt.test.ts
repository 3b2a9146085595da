import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Story } from '../../src/domain.ts';
import { buildPrompt, fillTemplate, loadPromptTemplates, PromptTemplateError, renderPrompt, renderRepair, storyAliases } from '../../src/writers/prompt.ts';
import { makeInput, STORIES } from './llm-fixtures.ts';

function manyStories(n: number, summaryChars: number): Story[] {
  return Array.from({ length: n }, (_, i) => ({
    ...STORIES[i % STORIES.length]!,
    id: `st-${i}`,
    title: `Story number ${i} about markets ${'and more words '.repeat(30)}`,
    summary: 'A long summary sentence that keeps going. '.repeat(Math.ceil(summaryChars / 42)),
  }));
}

describe('buildPrompt', () => {
  it('fills the bundled templates with facts, ranked stories, their outlets and publication times', () => {
    const { system, user } = buildPrompt(makeInput(), { maxStories: 24, promptsDir: 'prompts' });
    expect(system).toContain('`Mars Morning News | <lead A>, <lead B>`');
    expect(system).toContain('macro and the Fed first');
    expect(system).toMatch(/No investment advice/);
    expect(system).not.toMatch(/\{\{/);
    expect(user).toContain('- Fear & Greed Index: 25 (Extreme Fear); previous 11 (change +14) [alternative.me]');
    expect(user).toContain('- US 10-year Treasury yield: 4.02%; previous 4.00% (change +2 bps) [FRED]');
    expect(user).toContain('- FOMC odds: 87% (25 bps decrease); previous 81%; Fed decision in December? [Polymarket]');
    expect(user).toContain('- US spot BTC ETF net flow: $128.7 million; previous -$151.1 million [Farside]');
    expect(user).toContain('[S2] JPMorgan now expects the Fed to cut rates in December\n    Outlets: The Block · Published: 2025-11-26 23:30 UTC');
    expect(user).not.toMatch(/\{\{/);
  });

  it('stays bounded however many headlines were gathered', () => {
    const small = buildPrompt(makeInput({ stories: manyStories(30, 2000) }), { maxStories: 24, promptsDir: 'prompts' });
    const huge = buildPrompt(makeInput({ stories: manyStories(2000, 20_000) }), { maxStories: 24, promptsDir: 'prompts' });
    expect(huge.user.length).toBe(small.user.length + '2000'.length - '30'.length);
    expect(huge.user).toContain('[S24]');
    expect(huge.user).not.toContain('[S25]');
    expect(huge.user).toContain('The 24 most important of 2000 stories');
    // Every summary is cut to the configured length (280 characters by default).
    const summaries = huge.user.split('\n').filter((l) => l.trimStart().startsWith('Summary: '));
    expect(summaries).toHaveLength(24);
    for (const line of summaries) expect(line.trim().length).toBeLessThanOrEqual('Summary: '.length + 280);
  });

  it('maps the prompt aliases back to story ids', () => {
    expect([...storyAliases(STORIES, 3)]).toEqual([
      ['S1', 'st-beige'],
      ['S2', 'st-jpm'],
      ['S3', 'st-ibit'],
    ]);
  });

  it('names the language for the model, whatever it is', () => {
    for (const [code, name] of [['zh', 'Chinese (zh)'], ['ja', 'Japanese (ja)'], ['pt-BR', 'Brazilian Portuguese (pt-BR)'], ['xx-nonsense', 'xx-nonsense']]) {
      const { system } = buildPrompt(makeInput({ language: code! }), { maxStories: 5, promptsDir: 'prompts' });
      expect(system).toContain(`Write the brief in ${name}.`);
    }
  });

  it('reads edited templates from another folder, and says which placeholder is unknown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
    writeFileSync(join(dir, 'system.md'), 'You write {{briefName}} in {{language}}.');
    writeFileSync(join(dir, 'user.md'), '{{facts}}\n\n{{stories}}\n{{tone}}');
    const templates = loadPromptTemplates(dir);
    expect(() => renderPrompt(templates, makeInput(), { maxStories: 3 })).toThrow(PromptTemplateError);
    expect(() => renderPrompt(templates, makeInput(), { maxStories: 3 })).toThrow('unknown placeholder(s): {{tone}}');
    // No repair.md in that folder: a built-in one is used.
    expect(renderRepair(templates, makeInput(), '- item 1: price $1 not in data')).toContain('- item 1: price $1 not in data');
  });

  it('fillTemplate replaces every occurrence and tolerates spaces inside braces', () => {
    expect(fillTemplate('{{a}}-{{ a }}-{{b}}', { a: '1', b: '2' })).toBe('1-1-2');
  });

  it('the bundled repair prompt lists the violations in the brief language', () => {
    const text = renderRepair(loadPromptTemplates('prompts'), makeInput({ language: 'zh' }), '- item 3: price $3,450 not in data');
    expect(text).toContain('- item 3: price $3,450 not in data');
    expect(text).toContain('in Chinese (zh)');
  });
});
