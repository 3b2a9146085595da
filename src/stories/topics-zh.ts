/**
 * Topic tags from Chinese terms, so a Chinese headline is never topic-less for want of an
 * English word. Matched as substrings (Chinese has no word boundaries); tagTopics adds these.
 */
import type { Topic } from '../domain.ts';

const FED_ZH = ['美联储', '联储', '鲍威尔', 'FOMC', '议息', '降息', '加息', '利率决议', '联邦基金利率', '褐皮书', '点阵图'];

export const ZH_TOPIC_TERMS: Readonly<Record<Topic, readonly string[]>> = {
  fed: FED_ZH,
  macro: [...FED_ZH, 'CPI', '通胀', '非农', '失业率', '美债', '国债收益率', '收益率', '关税', '美元指数', 'GDP', '衰退', '经济数据', '美股', '纳斯达克', '标普'],
  etf: ['ETF', '交易所交易基金', '现货基金'],
  btc: ['比特币', 'BTC'],
  eth: ['以太坊', '以太币', 'ETH'],
  regulation: ['监管', '证监会', 'SEC', '美国证券交易委员会', 'CFTC', '立法', '法案', '牌照', '诉讼', '起诉', '判决', '法院', '司法部', '制裁', '合规', '禁令', '金管局', '反洗钱'],
  exchange: ['交易所', '币安', 'Binance', 'Coinbase', 'OKX', 'Bybit', 'Bitget', 'Upbit', 'Bithumb', 'Kraken', 'Gate', 'HTX', '上线', '上币', '下架', '交易对', '合约交易'],
  stablecoin: ['稳定币', 'USDT', 'USDC', 'Tether', '泰达', 'Circle', '美元稳定币'],
  security: ['黑客', '攻击', '被盗', '漏洞', '盗取', '钓鱼', '安全事件', '损失约', '遭攻击', '私钥泄露', '跑路'],
  institutions: ['贝莱德', '富达', '灰度', '摩根大通', '高盛', '微策略', 'Strategy', '上市公司', '机构', '资管', '银行', '财库', '储备'],
  onchain: ['链上', '巨鲸', '地址', '转入', '转出', '鲸鱼', '大额转账', '持仓', 'Lookonchain', '监测', '爆仓', '清算', '空单', '多单'],
  altcoins: ['Solana', 'SOL', '索拉纳', 'XRP', '瑞波', '狗狗币', 'DOGE', 'BNB', 'ADA', 'TON', 'SUI', 'Hyperliquid', 'HYPE', '山寨币', 'Meme', 'PEPE', 'TRX', '波场', 'LINK', 'AVAX'],
};

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/u;

/**
 * The topics a Chinese text touches, in the Topic enum's order; [] for a text with no Chinese.
 * @example zhTopics('美联储宣布降息25个基点') // => ['fed', 'macro']
 */
export function zhTopics(text: string, order: readonly Topic[]): Topic[] {
  if (!HAN.test(text)) return [];
  const normalised = text.normalize('NFKC');
  return order.filter((topic) => ZH_TOPIC_TERMS[topic].some((term) => normalised.includes(term)));
}
