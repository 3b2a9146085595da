/** Grounding accepts the truth as models write it, and refuses it with one thing changed. */
import { describe, expect, it } from 'vitest';
import { CORPUS, evaluateCorpus } from './grounding-corpus.ts';
import { makeInput } from './llm-fixtures.ts';

describe('grounding corpus', () => {
  const result = evaluateCorpus(makeInput());

  it('has at least 60 sentences, each altered by one number or direction', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    for (const c of CORPUS) expect(c.altered).not.toBe(c.text);
  });

  it('accepts every true sentence (false refusals: 0)', () => {
    console.log(`grounding corpus: ${result.total} true sentences, ${result.falseRefusals.length} false refusals, ${result.falseAcceptances.length} false acceptances`);
    expect(result.falseRefusals).toEqual([]);
  });

  it('refuses every altered sentence (false acceptances: 0)', () => {
    expect(result.falseAcceptances).toEqual([]);
  });
});
