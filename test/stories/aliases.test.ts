// Names in several spellings meet as one token; a listing newsletter joins its lead story only; a "why X is up" question tells the move.
import { describe, expect, it } from 'vitest';
import type { Headline } from '../../src/domain.ts';
import { clusterHeadlines } from '../../src/stories/cluster.ts';
import { buildVocabulary, eventVectors } from '../../src/stories/event-vectors.ts';
import { headlineFeatures, priceMove } from '../../src/stories/features.ts';
import { eventSimilarity } from '../../src/stories/similarity.ts';
import { roundupLead } from '../../src/stories/roundup-lead.ts';
import { contentTokens } from '../../src/stories/tokens.ts';

function headline(title: string, source: string): Headline {
  return { title, url: `https://${source}.example/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, source, sourceName: source, publishedAt: '2025-10-03T05:00:00.000Z', summary: '' };
}

describe('name aliases', () => {
  it('folds an agency written out into its initials, and a ticker into its chain', () => {
    expect(contentTokens('European Central Bank picks tech partners')).toContain('ecb');
    expect(contentTokens('ECB picks providers')).toContain('ecb');
    expect(contentTokens('Securities and Exchange Commission sues exchange')).toContain('sec');
    expect(contentTokens('Grayscale adds AVAX, DOT, ATOM')).toEqual(contentTokens('Grayscale adds Avalanche, Polkadot, Cosmos'));
  });

  it('folds the event verbs outlets vary: awakens / wakes up, teams with / partners with / partnership', () => {
    expect(contentTokens('Bitcoin whale awakens')).toEqual(contentTokens('Bitcoin whale wakes up'));
    expect(contentTokens('Swift teams with Consensys')).toEqual(contentTokens('Swift partners with Consensys'));
    expect(contentTokens('Samsung expands Coinbase partnership')).toEqual(contentTokens('Samsung expands Coinbase tie-up'));
  });

  it('leaves the lower-case words alone, and drops the US in any spelling like the word "us"', () => {
    expect(contentTokens('Dot-com style hype around us')).not.toEqual(expect.arrayContaining(['polkadot']));
    expect(contentTokens('Dot-com style hype around us')).not.toContain('hyperliquid');
    for (const t of ['U.S. lawmakers grapple', 'US lawmakers grapple', 'United States lawmakers grapple']) expect(contentTokens(t)).toEqual(['lawmaker', 'grappl']);
  });

  it('clusters the ECB retellings that name the bank in full and by its initials', () => {
    const clusters = clusterHeadlines([
      headline('ECB picks providers for digital euro components', 'theblock'),
      headline('European Central Bank picks tech partners for digital euro', 'decrypt'),
      headline('Coinbase applies for federal trust charter', 'coindesk'),
    ]);
    expect(clusters.map((c) => c.headlines.length).sort()).toEqual([1, 2]);
  });
});

describe('a listing newsletter', () => {
  it('is read by its first item', () => {
    expect(roundupLead('The Daily: Ripple CTO David Schwartz announces exit, Trump-backed WLFI explores RWAs, and more')).toBe('Ripple CTO David Schwartz announces exit');
    expect(roundupLead('Ripple CTO David Schwartz to step down')).toBeNull();
  });

  it('joins its lead story and not the story it lists second', () => {
    const roundup = 'The Daily: Ripple CTO David Schwartz announces exit, Flying Tulip raises $200M for its token, and more';
    const clusters = clusterHeadlines([
      headline(roundup, 'theblock'),
      headline('Ripple CTO David Schwartz to step down from his role', 'cointelegraph'),
      headline('Andre Cronje’s Flying Tulip raises $200M in private round', 'decrypt'),
    ]);
    const withRoundup = clusters.find((c) => c.headlines.some((h) => h.title === roundup));
    expect(withRoundup?.headlines.map((h) => h.source).sort()).toEqual(['cointelegraph', 'theblock']);
  });
});

describe('a question that explains a price move', () => {
  it('is a telling of that move, while a daily "everything that happened" roundup stays apart', () => {
    const why = 'Why Bitcoin, Ethereum, and Dogecoin Are Soaring Today';
    const digest = 'Why is Bitcoin rising? Everything that happened in crypto today';
    const clusters = clusterHeadlines([
      headline('Bitcoin, Ethereum, XRP surge after Fed rate decision', 'cointelegraph'),
      headline(why, 'fool'),
      headline(digest, 'cointelegraph-digest'),
    ]);
    const withWhy = clusters.find((c) => c.headlines.some((h) => h.title === why));
    expect(withWhy?.headlines.map((h) => h.source).sort()).toEqual(['cointelegraph', 'fool']);
  });
});

describe('a name both titles lead with', () => {
  it('is enough to compare two title-only tellings that share no other specific word', () => {
    const titles = ['Swift to add blockchain ledger to global payments network', 'Swift Teams With Consensys for Blockchain Prototype', 'Coinbase applies for federal trust charter'];
    const features = titles.map((t) => headlineFeatures({ title: t, summary: '', publishedAt: '2025-09-29T05:00:00.000Z' }));
    const vectors = eventVectors(features, buildVocabulary(features));
    expect(eventSimilarity(vectors[0]!, vectors[1]!)).toBeGreaterThan(0);
    expect(eventSimilarity(vectors[0]!, vectors[2]!)).toBe(0);
  });
});

describe('a price move in the past tense', () => {
  it('is a move like the present tense', () => {
    expect(priceMove('Bitcoin Regains $117K Level As Fresh Economic Data Flags Weak Growth')).toBe('up:bitcoin');
    expect(priceMove('Bitcoin and Ether Slumped Today')).toBe('down:bitcoin,ether');
  });
});
