import { describe, expect, it } from 'vitest';
import { tagTopics } from '../../src/stories/topics.ts';

describe('tagTopics', () => {
  it.each([
    ["Fed's Beige Book shows little change in US economic activity", ['fed', 'macro']],
    ['JPMorgan now expects Fed to cut rates in December', ['fed', 'macro', 'institutions']],
    ['Powell signals patience as FOMC holds', ['fed', 'macro']],
    ['US CPI rises 0.3% in October; Treasury yields climb', ['macro']],
    ['Bitcoin ETFs record $238 million in net inflows', ['etf', 'btc']],
    ["Nasdaq files to raise position limit on BlackRock's IBIT options", ['etf', 'institutions']],
    ['ETH returns to $3,000 as extreme fear eases', ['eth']],
    ['Binance faces $1 billion terrorism lawsuit', ['regulation', 'exchange']],
    ['Securitize wins EU approval to operate tokenization trading system', ['regulation', 'institutions']],
    ['PBoC reiterates ban on virtual currency trading, flags stablecoins', ['regulation', 'stablecoin']],
    ["Tether CEO responds to S&P's USDT rating downgrade", ['stablecoin', 'institutions']],
    ['Solana DeFi protocol drained of $8 million in exploit', ['security', 'altcoins']],
    ['Phishing attack hits Coinbase users', ['exchange', 'security']],
    ['Bitcoin whales increase deposits to exchanges, on-chain data shows', ['btc', 'exchange', 'onchain']],
    ['Kraken lists SOL and XRP perpetuals', ['exchange', 'altcoins']],
    ['MiCA: ESMA issues guidance for crypto custody', ['regulation']],
  ])('%j -> %j', (title, topics) => {
    expect(tagTopics(title)).toEqual(topics);
  });

  it('matches whole words only', () => {
    expect(tagTopics('Fedora ships; banner ads return; Thetford exchequer')).toEqual([]);
    expect(tagTopics('Ethernet speeds up')).toEqual([]);
  });

  it('needs the usual capitals for acronyms that are also words', () => {
    expect(tagTopics('fed up with the noise, 30 sec left, sol y sombra')).toEqual([]);
    expect(tagTopics('SEC sues exchange')).toContain('regulation');
    expect(tagTopics('The Fed and the SOL price')).toEqual(['fed', 'macro', 'altcoins']);
  });

  it('does not read "exchange-traded fund" as a crypto exchange', () => {
    expect(tagTopics('First exchange-traded fund for XRP')).toEqual(['etf', 'altcoins']);
  });

  it('returns topics in a fixed order without repeats', () => {
    expect(tagTopics('ETF ETF etf inflows ETFs')).toEqual(['etf']);
    expect(tagTopics('')).toEqual([]);
  });
});
