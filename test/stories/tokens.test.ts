import { describe, expect, it } from 'vitest';
import { contentTokens, stem } from '../../src/stories/tokens.ts';

describe('contentTokens', () => {
  it('writes the same amount the same way however an outlet spells it', () => {
    const billion = ['$1 billion', '$1B', '$1bn', '1 billion', '$1,000,000,000', '$1.0 billion'];
    for (const text of billion) expect(contentTokens(`Binance faces ${text} lawsuit`)).toContain('#1000000000');
    expect(contentTokens('ETH returns to $3,000')).toContain('#3000');
    expect(contentTokens('Ether reclaims $3K')).toContain('#3000');
    expect(contentTokens('Bitcoin ETFs see $238M in net inflows')).toContain('#238000000');
    expect(contentTokens('Bitcoin slips 2.3% to $91,234')).toEqual(expect.arrayContaining(['#2.3%', '#91234']));
  });

  it('keeps years and codes as words, not amounts', () => {
    expect(contentTokens('Q4 2025 outlook for 24h volume')).toEqual(['q4', '2025', 'outlook', '24h', 'volum']);
  });

  it('drops stop words and headline filler, folds case, plurals and possessives', () => {
    expect(contentTokens("Binance Faces $1B Lawsuit Over Terrorism Financing Claims")).toEqual(['binanc', '#1000000000', 'sue', 'terrorism', 'financ', 'claim']);
    expect(contentTokens("Fed's Beige Book shows little change")).toEqual(contentTokens('fed beige book showing little changes'));
    expect(contentTokens('The and of to in on')).toEqual([]);
  });

  it('folds ticker and name spellings of the same asset', () => {
    expect(contentTokens('BTC slides')).toEqual(contentTokens('Bitcoin slides'));
    expect(contentTokens('ETH rallies')).toEqual(contentTokens('Ethereum rallies'));
  });

  it('stems consistently', () => {
    expect(stem('lawsuits')).toBe(stem('lawsuit'));
    expect(stem('financing')).toBe(stem('finance'));
    expect(stem('slipped')).toBe(stem('slips'));
    expect(stem('falling')).toBe('fall');
    expect(stem('companies')).toBe('company');
  });
});
