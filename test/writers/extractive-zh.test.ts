/**
 * The bundled Chinese demo day (examples/snapshot.zh.json: recorded Chinese headlines, the
 * shared market data) through the pipeline's stories and the zh extractive writer.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BriefSchema, SnapshotSchema, type Snapshot } from '../../src/domain.ts';
import { buildStories } from '../../src/stories/index.ts';
import { writeBrief } from '../../src/writers/choose-writer.ts';
import { writeExtractiveZh, cleanZhHeadline } from '../../src/writers/extractive-zh/index.ts';
import { checkBriefZh } from '../../src/writers/grounding-zh.ts';
import { fomcOutcomeZh } from '../../src/writers/extractive-zh/market-zh.ts';
import type { WriterInput } from '../../src/writers/types.ts';

const snapshot: Snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(new URL('../../examples/snapshot.zh.json', import.meta.url), 'utf8')));
const now = new Date(snapshot.takenAt);
const stories = buildStories(snapshot.headlines, { now, maxAgeHours: 36, recentlyCovered: [], sourceWeights: {} });
const input: WriterInput = { snapshot, stories, briefName: 'Morning Brief', language: 'zh', now };
const llm = { apiKey: null } as unknown as Parameters<typeof writeBrief>[1]['llm'];

describe('zh extractive writer on the bundled Chinese snapshot', () => {
  const brief = writeExtractiveZh(input);

  it('writes a 火星早报-style title: name, full-width bar, two leads joined by ；', () => {
    expect(BriefSchema.parse(brief)).toBeTruthy();
    expect(brief.title).toBe(`加密早报｜${brief.leads[0]}；${brief.leads[1]}`);
    expect(brief.leads[0]).not.toBe(brief.leads[1]);
    expect(brief.language).toBe('zh');
  });

  it('attributes every story sentence to its outlet and writes the market in Chinese', () => {
    const storyItems = brief.items.filter((i) => i.storyIds.length > 0);
    expect(storyItems.length).toBeGreaterThanOrEqual(5);
    const outlets = new Set(snapshot.headlines.map((h) => h.sourceName));
    for (const item of storyItems) {
      const m = /^(?:据(.+?)报道，|(.+?)消息，).+。$/u.exec(item.text);
      expect(m, item.text).not.toBeNull();
      expect(outlets.has((m![1] ?? m![2])!), item.text).toBe(true);
    }
    const text = brief.items.map((i) => i.text).join('');
    expect(text).toContain('比特币现报91,235美元，24小时上涨1.6%。');
    expect(text).toContain('恐慌与贪婪指数为25（恐慌）');
    expect(text).toContain('降息25个基点的概率为83%');
    expect(text).toContain('美国现货比特币ETF净流入1.29亿美元');
    expect(text).toContain('以太坊ETF净流入6080万美元');
    expect(text).toContain('10年期美债收益率为4.00%');
    expect(brief.closing).toMatch(/^本简报由 morning-brief 抽取式写作器.*未使用 AI 模型。$/u);
    expect(brief.marketLine).toContain('BTC 91,235美元（+1.6%）');
  });

  it('tells one event once: the JPMorgan note the clustering left in two stories is written once', () => {
    const text = brief.items.map((i) => i.text).join('\n');
    const tellings = ['JPMorgan 提出比特币结构化票据产品', '摩根大通推出与贝莱德比特币ETF挂钩的结构性票据'].filter((t) => text.includes(t));
    expect(tellings).toHaveLength(1);
  });

  it('passes the Chinese grounding check, and the check catches a wrong figure', () => {
    expect(checkBriefZh(brief, input)).toEqual([]);
    const wrong = { ...brief, items: brief.items.map((i) => ({ ...i, text: i.text.replace('1.29亿美元', '3.5亿美元') })) };
    expect(checkBriefZh(wrong, input).length).toBeGreaterThan(0);
  });

  it('is what a zh run with no LLM key sends', async () => {
    const result = await writeBrief(input, { mode: 'auto', llm });
    expect(result.brief.title).toBe(brief.title);
    expect(result.attempts).toEqual([{ writer: 'extractive', ok: true, reason: null }]);
    expect(result.brief.writerReason).toBe('auto: no LLM configured (OPENAI_API_KEY unset)');
  });
});

describe('zh helpers', () => {
  it('strips outlet boilerplate', () => {
    expect(cleanZhHeadline('BlockBeats 消息，MULTI短时上涨逼近5美元。')).toBe('MULTI短时上涨逼近5美元');
    expect(cleanZhHeadline('PANews 9月23日消息，据链上数据')).toBe('据链上数据');
    expect(cleanZhHeadline('Odaily星球日报讯 币安将上线')).toBe('币安将上线');
  });
  it('says FOMC outcomes in Chinese', () => {
    expect(fomcOutcomeZh('25 bps decrease')).toBe('降息25个基点');
    expect(fomcOutcomeZh('No change')).toBe('维持利率不变');
    expect(fomcOutcomeZh('50+ bps decrease')).toBe('降息50个基点及以上');
  });
});

describe('zh notes', () => {
  it('name a failed source and out-of-date figures in plain Chinese, never a status code', () => {
    const failed = {
      ...snapshot,
      statuses: snapshot.statuses.map((s) => (s.id === 'etf_flows' || s.id === 'feed:odaily' ? { ...s, ok: false, error: 'HTTP 403' } : s)),
    };
    const later = { ...failed, takenAt: '2025-12-20T06:30:00.000Z' };
    const brief = writeExtractiveZh({ ...input, snapshot: later, now: new Date(later.takenAt) });
    expect(brief.notes).toContain('Farside ETF 资金流数据本次未能获取。');
    expect(brief.notes).toContain('Odaily 新闻本次未能获取。');
    expect(brief.notes).toContain('5 个币种的价格已过时，未写入本简报。');
    expect(brief.notes.join('')).not.toMatch(/HTTP|403|feed:/u);
    expect(brief.items.map((i) => i.text).join('')).not.toContain('91,235美元');
  });
});
