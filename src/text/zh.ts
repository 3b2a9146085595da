/**
 * Chinese headline text -> words and content tokens: a crypto lexicon matched longest-first
 * (Node's ICU splits 比特币 and 美联储 into single characters), Intl.Segmenter for the rest,
 * and bigrams of leftover single characters, so two outlets' wordings of one event share tokens.
 */
import { extractNumbersZh } from '../writers/numbers-zh.ts';

/** Han ideographs (CJK Unified Ideographs and Extension A). */
export const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/u;
const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff]+/gu;

/** True when the text has Chinese characters, so the Chinese tokenizer should read it. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Crypto and macro terms, each with the token it stands for. Names shared with English
 * headlines map to the English token (比特币 -> bitcoin), so the generic-word weights apply.
 */
export const ZH_LEXICON: Readonly<Record<string, string>> = {
  比特币: 'bitcoin', 以太坊: 'ethereum', 以太币: 'ethereum', 稳定币: 'stablecoin', 美联储: 'fed',
  联储: 'fed', 鲍威尔: 'powell', 巨鲸: 'whale', 交易所: 'exchange', 币安: 'binance', 贝莱德: 'blackrock',
  灰度: 'grayscale', 富达: 'fidelity', 美国证券交易委员会: 'sec', 美国证监会: 'sec', 证监会: 'sec',
  特朗普: 'trump', 川普: 'trump', 降息: 'rate-cut', 加息: 'rate-hike', 利率: 'rate', 基点: 'bps',
  现货: 'spot', 净流入: 'inflow', 净流出: 'outflow', 流入: 'inflow', 流出: 'outflow', 爆仓: 'liquidation',
  清算: 'liquidation', 黑客: 'hack', 攻击: 'exploit', 被盗: 'hack', 漏洞: 'exploit', 上线: 'listing',
  上币: 'listing', 下架: 'delisting', 融资: 'raise', 收购: 'buy', 增持: 'buy', 买入: 'buy', 抛售: 'sell',
  卖出: 'sell', 转入: 'deposit', 转出: 'withdraw', 链上: 'onchain', 监测: 'monitor', 市值: 'market-cap',
  美债: 'treasury', 收益率: 'yield', 通胀: 'inflation', 非农: 'payroll', 失业率: 'unemployment',
  关税: 'tariff', 美股: 'stocks', 纳斯达克: 'nasdaq', 标普: 's&p', 香港: 'hong-kong',
  韩国: 'korea', 日本: 'japan', 欧盟: 'eu', 牌照: 'license', 监管: 'regulation', 诉讼: 'sue', 起诉: 'sue',
  起诉书: 'sue', 辞职: 'resign', 卸任: 'resign', 回购: 'buyback', 解锁: 'unlock', 空投: 'airdrop',
  质押: 'staking', 主网: 'mainnet', 测试网: 'testnet', 升级: 'upgrade', 减半: 'halving', 矿工: 'miner',
  算力: 'hashrate', 空单: 'short', 多单: 'long', 做空: 'short', 做多: 'long', 合约: 'contract',
  永续合约: 'perpetual', 期货: 'futures', 期权: 'options', 链捕手: 'chaincatcher', 律动: 'blockbeats',
  星球日报: 'odaily', 金色财经: 'jinse', 火星财经: 'marsbit', 索拉纳: 'solana', 瑞波: 'ripple',
  狗狗币: 'dogecoin', 泰达币: 'tether', 摩根大通: 'jpmorgan', 高盛: 'goldman', 微策略: 'strategy',
  涨幅: 'gain', 跌幅: 'drop', 上涨: 'rise', 下跌: 'fall', 突破: 'break', 跌破: 'below', 创新高: 'record',
  历史新高: 'record', 新高: 'record', 恐慌: 'fear', 贪婪: 'greed', 指数: 'index', 代币化: 'tokenization',
  亚瑟·海耶斯: 'hayes', 亚瑟·海斯: 'hayes', 海耶斯: 'hayes', 海斯: 'hayes', 汤姆·李: 'tom-lee', 塞勒: 'saylor',
  德克萨斯州: 'texas', 得克萨斯州: 'texas', 德州: 'texas', 新加坡交易所: 'sgx', 永续期货: 'perpetual',
  停购: 'pause-buy', 暂停购买: 'pause-buy', 停止购买: 'pause-buy', 购买: 'buy', 购入: 'buy', 贷款: 'loan', 借贷: 'loan',
  首日: 'first-day', 成交量: 'volume', 交易量: 'volume', 抛压: 'selling-pressure', 卖压: 'selling-pressure',
  讣告: 'obituary', 小摩: 'jpmorgan',
  分析师: 'analyst', 结构化票据: 'structured-note', 结构性票据: 'structured-note', 票据: 'note', 可转债: 'convertible', 韩元: 'krw', 交易对: 'pair', 储备: 'reserve', 财库: 'treasury', 国债: 'treasury',
};

const LEXICON_WORDS = Object.keys(ZH_LEXICON).sort((a, b) => b.length - a.length);
const LEXICON_RE = new RegExp(LEXICON_WORDS.join('|'), 'gu');

/** Particles, outlet boilerplate and filler that say nothing about which event it is. */
const ZH_STOP = new Set(
  `的 了 在 是 和 与 及 或 等 将 已 于 为 对 从 向 被 把 让 由 并 也 就 都 又 还 该 其 此 这 那 之 而 但 以 到 给 着 过
  称 表示 宣布 消息 报道 据 日 月 年 今日 昨日 目前 近日 此前 今天 昨天 现 约 超 达 近 逾 超过 一位 一个 某 相关
  万 亿 千 百 美元 枚 个 可能 或将 正在 已经 进行 推出 发布 发文 社交 媒体 平台 官方 公告 显示 数据 报价 现报 小时 分钟 期间 最新 快讯 文章 原文 链接`.split(/\s+/u),
);

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * The words of a Chinese (or mixed) text in order: lexicon terms, ICU words of two or more
 * characters, Latin words and numbers as written, and bigrams of leftover single characters.
 * @example segmentZh('以太坊巨鲸转入交易所') // => ['以太坊', '巨鲸', '转入', '交易所']
 */
export function segmentZh(text: string): string[] {
  const out: string[] = [];
  const normalised = text.normalize('NFKC');
  let last = 0;
  const rest = (chunk: string): void => {
    let singles = '';
    const flush = (): void => {
      if (singles.length === 1) out.push(singles);
      for (let i = 0; i + 1 < singles.length; i++) out.push(singles.slice(i, i + 2));
      singles = '';
    };
    for (const s of segmenter.segment(chunk)) {
      if (!s.isWordLike) { flush(); continue; }
      if (s.segment.length === 1 && HAN.test(s.segment)) { singles += s.segment; continue; }
      flush();
      out.push(s.segment);
    }
    flush();
  };
  for (const m of normalised.matchAll(LEXICON_RE)) {
    rest(normalised.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  rest(normalised.slice(last));
  return out;
}

const amountToken = (value: number, percent: boolean): string => `#${Number(value.toPrecision(9))}${percent ? '%' : ''}`;

/**
 * Content tokens of the Chinese part of a text: lexicon terms as their canonical token,
 * other Han words as written, amounts as `#value` (the English tokenizer's form, so
 * "15.4亿美元" and "$1.54 billion" agree). Latin words are left to the English tokenizer.
 * @example zhContentTokens('贝莱德比特币现货ETF净流入15.4亿美元') // => ['blackrock', 'bitcoin', 'spot', 'inflow', '#1540000000']
 */
export function zhContentTokens(text: string): string[] {
  const out = new Set<string>();
  for (const word of segmentZh(text)) {
    if (!HAN.test(word) || ZH_STOP.has(word)) continue;
    out.add(ZH_LEXICON[word] ?? word);
  }
  for (const n of extractNumbersZh(text)) {
    if (n.kind === 'usd' || (n.kind === 'plain' && n.value >= 1000)) out.add(amountToken(n.value, false));
    else if (n.kind === 'percent') out.add(amountToken(n.value, true));
    else if (n.kind === 'bps') out.add(`#${n.value}bps`);
  }
  return [...out];
}

/** The Han runs of a text, for callers that only want to know what the Chinese part says. */
export function hanRuns(text: string): string[] {
  return text.match(HAN_RUN) ?? [];
}
