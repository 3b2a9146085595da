import { describe, expect, it } from 'vitest';
import type { Brief, BriefItem } from '../../src/domain.ts';
import { assembleLlmBrief } from '../../src/writers/brief-parts.ts';
import { writeExtractive } from '../../src/writers/extractive.ts';
import { checkBrief, listViolations, summarizeViolations } from '../../src/writers/grounding.ts';
import { storyAliases } from '../../src/writers/prompt.ts';
import type { WriterInput } from '../../src/writers/types.ts';
import { GOOD_DRAFT, GOOD_DRAFT_ZH, makeInput, SNAPSHOT, STORIES } from './llm-fixtures.ts';

const input = makeInput();
const good = assembleLlmBrief(GOOD_DRAFT, input, { model: 'm', aliases: storyAliases(STORIES, 24) });

/** The good brief with one more item (ids are real story ids, not prompt aliases). */
function plus(item: BriefItem, brief: Brief = good): Brief {
  return { ...brief, items: [...brief.items, item] };
}

function details(brief: Brief, on: WriterInput = input): string[] {
  return checkBrief(brief, on).map((v) => v.detail);
}

describe('checkBrief accepts what the data supports', () => {
  it('passes a grounded English brief and the extractive brief for the same day', () => {
    expect(checkBrief(good, input)).toEqual([]);
    expect(checkBrief(writeExtractive(input), input)).toEqual([]);
  });

  it('passes a grounded Chinese brief', () => {
    const zh = makeInput({ language: 'zh' });
    expect(checkBrief(assembleLlmBrief(GOOD_DRAFT_ZH, zh, { model: 'm', aliases: storyAliases(STORIES, 24) }), zh)).toEqual([]);
  });

  it.each([
    ['a rounded price', 'ETH trades near $3,000.'],
    ['a price as written in the facts', 'SOL trades at $142.18, down 0.8%.'],
    ['a signed change', 'SOL moved -0.8% in 24 hours.'],
    ['the Fear & Greed change', 'The Fear & Greed Index jumped 14 points to 25.'],
    ['a previous value', 'The index was at 11 a day earlier.'],
    ['a yield move in basis points', 'The 10-year Treasury yield rose 2 bps to 4.02%.'],
    ['a probability as a percentage', 'Polymarket puts the odds of a 25 bps cut at 87%, up from 81%.'],
    ['an ETF flow in millions', 'Spot bitcoin ETFs took in $128.7 million after outflows of $151.1 million.'],
    ['an ETF flow, compact', 'Spot bitcoin ETFs took in $128.7m.'],
    ['the date of the data', 'As of November 27, 2025, BTC trades at $91,235.'],
    ['the time the data was gathered', 'At 06:30 UTC on 2025-11-27, BTC traded at $91,235.'],
  ])('a market-data sentence without a story: %s', (_, text) => {
    expect(details(plus({ text, storyIds: [], section: 'prices' }))).toEqual([]);
  });

  it('accepts a headline number in any spelling from the story the item cites', () => {
    for (const amount of ['$1 billion', '$1bn', 'US$1,000 million', '10亿美元']) {
      expect(details(plus({ text: `Binance is being sued for ${amount}.`, storyIds: ['st-binance'], section: 'exchange' }))).toEqual([]);
    }
    expect(details(plus({ text: 'JPMorgan expects a 25 bps cut on December 10.', storyIds: ['st-jpm'], section: 'macro' }))).toEqual([]);
    expect(details(plus({ text: 'JPMorgan expects a 0.25% cut.', storyIds: ['st-jpm'], section: 'macro' }))).toEqual([]);
  });

  it('accepts a paraphrase of the cited story, in English or Chinese', () => {
    expect(details(plus({ text: 'Large holders are sending more coins to exchanges.', storyIds: ['st-whales'], section: 'other' }))).toEqual([]);
    expect(details(plus({ text: '巨鲸正在向交易所转入更多比特币。', storyIds: ['st-whales'], section: 'other' }))).toEqual([]);
  });

  it('treats 3,000 / $3K / 3000.00 / $3,000 as one number and 2.5% / 2.50% as another', () => {
    const day: WriterInput = makeInput({
      stories: [...STORIES, { ...STORIES[0]!, id: 'st-eth', title: 'Ether returns to $3,000 as yields fall 2.5%', summary: '', topics: ['eth'] }],
    });
    for (const text of ['Ether is back at 3,000.', 'Ether is back at $3K.', 'Ether is back at 3000.00.', 'Ether is back at $3,000, with yields 2.50% lower.']) {
      expect(details(plus({ text, storyIds: ['st-eth'], section: 'prices' }), day)).toEqual([]);
    }
  });
});

describe('checkBrief catches what the data does not support', () => {
  it('a wrong price', () => {
    const v = checkBrief(plus({ text: 'ETH rose 3.4% to $3,450.', storyIds: [], section: 'prices' }), input);
    expect(v).toEqual([{ kind: 'ungrounded-number', detail: 'price $3,450 not in data', itemIndex: good.items.length }]);
  });

  it('a percentage that appears nowhere, and a sign the data contradicts', () => {
    expect(details(plus({ text: 'BTC ETF inflows were 12.7% higher.', storyIds: [], section: 'etf' }))).toEqual(['percentage 12.7% not in data']);
    expect(details(plus({ text: 'SOL moved +0.8% in 24 hours.', storyIds: [], section: 'prices' }))).toEqual(['percentage +0.8% not in data']);
    expect(details(plus({ text: 'ETF flows were +$151.1 million the day before.', storyIds: [], section: 'etf' }))).toEqual(['amount +$151.1 million not in data']);
  });

  it('a rate move, a date, a year and a count that are not in the data', () => {
    expect(details(plus({ text: 'The 10-year Treasury yield rose 5 bps.', storyIds: [], section: 'macro' }))).toEqual(['basis points 5 bps not in data']);
    expect(details(plus({ text: 'Nasdaq filed on March 3.', storyIds: ['st-ibit'], section: 'etf' }))).toEqual(['date March 3 not in data']);
    expect(details(plus({ text: 'Nasdaq first filed in 2019.', storyIds: ['st-ibit'], section: 'etf' }))).toEqual(['year 2019 not in data']);
    expect(details(plus({ text: 'Nasdaq filed with 3 other exchanges.', storyIds: ['st-ibit'], section: 'etf' }))).toEqual(['number 3 not in data']);
    expect(details(plus({ text: 'Nasdaq filed at 14:00 UTC.', storyIds: ['st-ibit'], section: 'etf' }))).toEqual(['time 14:00 not in data']);
  });

  it("a number from another story's headline than the one cited", () => {
    expect(details(plus({ text: 'Nasdaq faces a $1 billion claim.', storyIds: ['st-ibit'], section: 'etf' }))).toEqual(['amount $1 billion not in data']);
    expect(details(plus({ text: 'Nasdaq wants the meeting on December 10.', storyIds: ['st-ibit'], section: 'etf' }))).toEqual(['date December 10 not in data']);
  });

  it('a story id that does not exist', () => {
    const v = checkBrief(plus({ text: 'Kraken filed for an IPO.', storyIds: ['st-kraken'], section: 'exchange' }), input);
    expect(v).toEqual([{ kind: 'unknown-story', detail: 'cites story "st-kraken", which is not among the input stories', itemIndex: good.items.length }]);
  });

  it('a made-up story with no id, and one hidden behind a real id', () => {
    const none = checkBrief(plus({ text: 'Coinbase announced it will list the XYZ token next week.', storyIds: [], section: 'exchange' }), input);
    expect(none.map((v) => v.kind)).toEqual(['unsourced-item']);
    const hidden = checkBrief(plus({ text: 'Coinbase announced it will list the XYZ token next week.', storyIds: ['st-beige'], section: 'exchange' }), input);
    expect(hidden.map((v) => v.kind)).toEqual(['off-story']);
  });

  it('a market sentence whose number only a headline has is not a market-data sentence', () => {
    const v = checkBrief(plus({ text: 'A $1 billion lawsuit was filed.', storyIds: [], section: 'other' }), input);
    expect(v.map((x) => x.kind)).toEqual(['unsourced-item']);
  });

  it('a lead that is not one of the items, and a lead with a wrong number', () => {
    const offLead: Brief = { ...good, leads: [good.leads[0], 'SEC approves a Solana ETF'], title: `${good.name} | ${good.leads[0]}, SEC approves a Solana ETF` };
    expect(details(offLead)).toEqual(['lead B "SEC approves a Solana ETF" is not one of the items']);
    const wrongLead: Brief = { ...good, leads: ['ETH returns to $3,450', good.leads[1]], title: `${good.name} | ETH returns to $3,450, ${good.leads[1]}` };
    expect(details(wrongLead)).toContain('lead A: price $3,450 not in data');
  });

  it('a number in the title that is in neither lead', () => {
    const title: Brief = { ...good, title: `${good.name} | BTC hits $99,000, ${good.leads[1]}` };
    expect(details(title)).toEqual(['title: price $99,000 not in data']);
  });

  it('a wrong number in a Chinese brief', () => {
    const zh = makeInput({ language: 'zh' });
    const draft = { ...GOOD_DRAFT_ZH, items: GOOD_DRAFT_ZH.items.map((it, i) => (i === 2 ? { ...it, text: '以太坊上涨3.4%至3,450美元。' } : it)) };
    const brief = assembleLlmBrief(draft, zh, { model: 'm', aliases: storyAliases(STORIES, 24) });
    expect(details(brief, zh)).toEqual(['price 3,450美元 not in data']);
  });

  it('no data at all: every number is a violation', () => {
    const empty = makeInput({ snapshot: { ...SNAPSHOT, quotes: [], indicators: [] }, stories: [] });
    expect(checkBrief(good, empty).some((v) => v.detail === 'price $3,012 not in data')).toBe(true);
    expect(checkBrief(good, empty).filter((v) => v.kind === 'unknown-story')).toHaveLength(6);
  });
});

describe('violation summaries', () => {
  it('one line for the run record and a list for the repair request', () => {
    const v = checkBrief(plus({ text: 'ETH at $3,450 and up 12.7%, SOL at $200, BTC at $99,999.', storyIds: [], section: 'prices' }), input);
    expect(summarizeViolations(v)).toBe('price $3,450 not in data; percentage 12.7% not in data; price $200 not in data (and 1 more)');
    expect(listViolations(v.slice(0, 1))).toBe(`- item ${good.items.length + 1}: price $3,450 not in data`);
  });
});
