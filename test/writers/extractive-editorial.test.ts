/**
 * The editor's rules of the extractive writer, on headlines like the ones the issue found on
 * real days: teasers and questions are told by a plain telling or the summary, outlets are
 * credited by name (or host, never a feed id), a routine price move does not lead the title.
 */
import { describe, expect, it } from 'vitest';
import type { Story } from '../../src/domain.ts';
import { storySentence, storyShortHeadline } from '../../src/writers/extractive/headline.ts';
import { isTeaser, outletName, summarySentence } from '../../src/writers/extractive/telling.ts';

function story(id: string, tellings: Array<[outlet: string, title: string]>, summary = ''): Story {
  return {
    id,
    title: tellings[0]![1],
    url: `https://news.example/${id}`,
    summary,
    publishedAt: '2025-07-24T21:00:00.000Z',
    sources: tellings.map(([outlet, title], i) => ({
      source: outlet.toLowerCase().replace(/[^a-z0-9]+/g, ''),
      sourceName: outlet,
      title,
      url: i === 0 ? `https://news.example/${id}` : `https://${outlet.toLowerCase().replace(/[^a-z0-9]+/g, '')}.com/${id}`,
      publishedAt: '2025-07-24T21:00:00.000Z',
    })),
    topics: ['fed'],
    score: 1,
  };
}

describe('teasers, questions and clickbait', () => {
  it.each([
    "Bitcoin's Bloody Ballet: U.S. Takes Sudden Action",
    'Ethereum Primed to Crush Bitcoin? Analysts Weigh In',
    'Trump Visits the Fed, Pushes Rate Cuts!',
    "Here's why bitcoin could hit $150,000",
    'Is the bitcoin bottom in?',
  ])('%j is a teaser', (title) => expect(isTeaser(title)).toBe(true));

  it.each(['Trump makes rare Fed visit, calls for lower interest rates', 'Binance faces $1 billion terrorism lawsuit', 'Fed holds rates steady as two governors dissent'])(
    '%j reports',
    (title) => expect(isTeaser(title)).toBe(false),
  );

  it('tells a story by its plain telling when the lead teases, with no ? or !', () => {
    const s = story('visit', [
      ['Bitcoinist', "President Trump's Meeting With Powell Yields Shocking Results, Fed Ready To Lower Rates?"],
      ['Binance Square', 'Trump Visits the Fed, Pushes Rate Cuts!'],
      ['C-SPAN', 'Trump makes rare Fed visit, calls for lower interest rates'],
    ]);
    expect(storySentence(s, 0)).toBe('Trump makes rare Fed visit, calls for lower interest rates, C-SPAN, Bitcoinist and others report.');
    expect(storyShortHeadline(s)).toBe('Trump makes rare Fed visit, calls for lower interest rates');
  });

  it('tells it by the first sentence of the summary when every headline teases', () => {
    const s = story(
      'ballet',
      [['CoinGape', "Bitcoin's Bloody Ballet: U.S. Takes Sudden Action"], ['U.Today', 'Ethereum Primed to Crush Bitcoin? Here Is Why']],
      'The U.S. Treasury sanctioned a crypto exchange accused of laundering ransomware payments on Tuesday. Bitcoin slipped 2% after the news.',
    );
    const sentence = storySentence(s, 0);
    expect(sentence).toBe('The U.S. Treasury sanctioned a crypto exchange accused of laundering ransomware payments on Tuesday, CoinGape and U.Today report.');
    expect(sentence).not.toMatch(/[?!]/);
    // Lead B is never the fragment after the teaser's colon.
    expect(storyShortHeadline(s)).not.toBe('U.S. takes sudden action');
  });

  it('a summary sentence must read as one: long enough, not a question', () => {
    expect(summarySentence('Is this the top? Analysts are split.')).toBeNull();
    expect(summarySentence('Short one. Then more.')).toBeNull();
    expect(summarySentence('Binance was sued for $1 billion in a New York court on Tuesday. The suit claims more.')).toBe('Binance was sued for $1 billion in a New York court on Tuesday');
    // A feed's trailing link label is not part of the sentence.
    expect(summarySentence('Overall economic activity changed little since the previous report.\t(more)')).toBe('Overall economic activity changed little since the previous report');
    expect(summarySentence('Overall economic activity changed little since the previous report. Read more…')).toBe('Overall economic activity changed little since the previous report');
  });

  it('keeps a sentence near 200 characters', () => {
    const long = `Coinbase expands its derivatives business ${'with new perpetual futures for many assets '.repeat(6)}in Europe`;
    expect(storySentence(story('long', [['CoinDesk', long]]), 0).length).toBeLessThanOrEqual(215);
  });
});

describe('outlets by their names', () => {
  it('credits a feed with no display name by its host, never its internal id', () => {
    expect(outletName({ source: 'coinalertnews', sourceName: 'coinalertnews', url: 'https://www.coinalertnews.com/news/trump-fed' })).toBe('coinalertnews.com');
    expect(outletName({ source: 'coindesk', sourceName: 'CoinDesk', url: 'https://www.coindesk.com/x' })).toBe('CoinDesk');
    const s = story('tour', [['coinalertnews', 'Trump tours Fed renovation, says $3.1 billion cost is too much']]);
    s.sources[0]!.url = 'https://www.coinalertnews.com/trump-fed-tour';
    expect(storySentence(s, 1)).toBe('Trump tours Fed renovation, says $3.1 billion cost is too much, according to coinalertnews.com.');
  });
});
