import { describe, expect, it } from 'vitest';
import { segmentZh, zhContentTokens } from '../../src/text/zh.ts';
import { extractNumbersZh, formatZhUsd, normalizeZhNumbers } from '../../src/writers/numbers-zh.ts';
import { contentTokens } from '../../src/stories/tokens.ts';
import { tagTopics } from '../../src/stories/topics.ts';

describe('Chinese segmentation', () => {
  it('keeps crypto terms whole where ICU would split them', () => {
    expect(segmentZh('以太坊巨鲸转入交易所')).toEqual(['以太坊', '巨鲸', '转入', '交易所']);
    expect(segmentZh('贝莱德比特币现货ETF')).toEqual(['贝莱德', '比特币', '现货', 'ETF']);
  });
  it('gives a Chinese amount the token an English one gets', () => {
    expect(zhContentTokens('贝莱德比特币现货ETF净流入15.4亿美元')).toContain('#1540000000');
    expect(contentTokens('BlackRock bitcoin ETF takes in $1.54 billion')).toContain('#1540000000');
    expect(contentTokens('美联储降息25个基点')).toEqual(expect.arrayContaining(['fed', 'rate-cut', '#25bps']));
  });
});

describe('Chinese numbers', () => {
  it.each([
    ['以太坊ETF净流入15.4亿美元', 'usd', 1_540_000_000],
    ['BTC跌破9万美元', 'usd', 90_000],
    ['美联储降息25个基点', 'bps', 25],
    ['美联储降息二十五个基点', 'bps', 25],
    ['降息概率为百分之三', 'percent', 3],
    ['降息概率为百分之六十', 'percent', 60],
    ['涨幅４１．６２％', 'percent', 41.62],
    ['规模两亿美元', 'usd', 200_000_000],
    ['三千万美元', 'usd', 30_000_000],
  ])('%s', (text, kind, value) => {
    const [first] = extractNumbersZh(text);
    expect(first?.kind).toBe(kind);
    expect(first?.value).toBeCloseTo(value, 6);
  });
  it('leaves an article "一位" alone', () => {
    expect(normalizeZhNumbers('一位巨鲸在链上清仓')).toBe('一位巨鲸在链上清仓');
    expect(extractNumbersZh('一位巨鲸在链上清仓')).toEqual([]);
  });
  it('writes amounts with 万 and 亿', () => {
    expect(formatZhUsd(1_540_000_000)).toBe('15.4亿美元');
    expect(formatZhUsd(90_000)).toBe('9万美元');
    expect(formatZhUsd(-32_000_000)).toBe('-3200万美元');
  });
});

describe('Chinese topics', () => {
  it('tags a Chinese headline from Chinese terms', () => {
    expect(tagTopics('美联储宣布降息25个基点')).toEqual(['fed', 'macro']);
    expect(tagTopics('以太坊巨鲸转入交易所')).toEqual(expect.arrayContaining(['eth', 'exchange', 'onchain']));
    expect(tagTopics('汇丰银行、渣打银行在香港获得稳定币牌照')).toEqual(expect.arrayContaining(['stablecoin', 'regulation']));
  });
});
