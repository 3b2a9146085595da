/**
 * True sentences about the fixture day (test/writers/llm-fixtures.ts) phrased the way models
 * phrase them, each with a twin that alters one number or one direction. The grounding
 * checker must accept every true one and refuse every altered one. Used by
 * test/writers/grounding-corpus.test.ts and `npm run eval:grounding`.
 *
 * The day: BTC $91,234.56 (+1.6%), ETH $3,012.40 (+3.4%), SOL $142.18 (-0.8%), Fear & Greed 25
 * (was 11), fed funds 3.88% (unchanged), 10-year 4.02% (was 4.00%), Polymarket 87% (was 81%)
 * for a 25 bps decrease, BTC ETFs +$128.7M (previous -$151.1M).
 */
import type { Brief } from '../../src/domain.ts';
import { checkBrief } from '../../src/writers/grounding.ts';
import type { WriterInput } from '../../src/writers/types.ts';

export interface CorpusCase {
  text: string;
  /** The same sentence with one number or direction changed: false. */
  altered: string;
  storyIds?: string[];
}

export const CORPUS: CorpusCase[] = [
  // Prices, as models round and hedge them
  { text: 'BTC trades at $91.2K, according to CoinGecko.', altered: 'BTC trades at $93.2K, according to CoinGecko.' },
  { text: 'Bitcoin is trading at about $91,000.', altered: 'Bitcoin is trading at about $95,000.' },
  { text: 'Bitcoin rose 1.6% to $91,235 over the past day.', altered: 'Bitcoin fell 1.6% to $91,235 over the past day.' },
  { text: 'BTC is up 1.6% in 24 hours at $91,235.', altered: 'BTC is down 1.6% in 24 hours at $91,235.' },
  { text: 'BTC gained 1.6% to around $91,200.', altered: 'BTC gained 2.6% to around $91,200.' },
  { text: 'Bitcoin hovered near $91,000 after a 1.6% gain.', altered: 'Bitcoin hovered near $91,000 after a 6.1% gain.' },
  { text: 'BTC changed hands at $91,234.56.', altered: 'BTC changed hands at $91,243.56.' },
  { text: 'Bitcoin was last seen at $91,235, up 1.6% on the day.', altered: 'Bitcoin was last seen at $91,235, up 1.9% on the day.' },
  { text: 'BTC is trading around $91K.', altered: 'BTC is trading around $81K.' },
  { text: 'Bitcoin sits roughly 1.6% higher than a day ago at $91,235.', altered: 'Bitcoin sits roughly 1.6% lower than a day ago at $91,235.' },
  { text: 'BTC rose about 1.6% over 24 hours.', altered: 'BTC rose about 2.6% over 24 hours.' },
  { text: 'Bitcoin is holding above $91,000.', altered: 'Bitcoin is holding above $92,000.' },
  { text: 'ETH rose 3.4% to $3,012.', altered: 'ETH rose 3.4% to $3,212.' },
  { text: 'Ether climbed 3.4% to just over $3,000.', altered: 'Ether climbed 3.4% to just over $3,500.' },
  { text: 'Ethereum is 3.4% higher at $3,012.', altered: 'Ethereum is 3.4% lower at $3,012.' },
  { text: 'ETH reclaimed the $3K level, trading at $3,012.', altered: 'ETH reclaimed the $3K level, trading at $3,112.' },
  { text: 'ETH is back above $3,000 at $3,012.40.', altered: 'ETH is back above $3,000 at $3,021.40.' },
  { text: 'ETH/USD gained 3.4% on the day.', altered: 'ETH/USD gained 4.3% on the day.' },
  { text: "Ethereum's 24-hour gain of 3.4% leads the majors.", altered: "Ethereum's 24-hour gain of 4.3% leads the majors." },
  { text: "ETH's move was +3.4% over the past 24 hours.", altered: "ETH's move was -3.4% over the past 24 hours." },
  { text: 'ETH outperformed BTC, rising 3.4% versus 1.6%.', altered: 'ETH outperformed BTC, rising 3.4% versus 6.1%.' },
  { text: 'Ether gained 3.4%, while Solana lost 0.8%.', altered: 'Ether gained 3.4%, while Solana gained 0.8%.' },
  { text: 'SOL slipped 0.8% to $142.18.', altered: 'SOL rose 0.8% to $142.18.' },
  { text: 'Solana fell 0.8% to roughly $142.', altered: 'Solana fell 0.8% to roughly $152.' },
  { text: 'SOL trades at $142.18, down 0.8%.', altered: 'SOL trades at $142.18, up 0.8%.' },
  { text: 'SOL is down 0.8% at $142.18.', altered: 'SOL is down 1.8% at $142.18.' },
  { text: 'SOL dipped below $143.', altered: 'SOL dipped below $140.' },
  { text: 'Solana edged lower to $142.18.', altered: 'Solana edged higher to $142.18.' },
  // Fear & Greed
  { text: 'The Crypto Fear & Greed Index rose to 25 from 11.', altered: 'The Crypto Fear & Greed Index fell to 25 from 11.' },
  { text: 'The Fear & Greed Index is at 25, up 14 points from 11.', altered: 'The Fear & Greed Index is at 25, up 16 points from 11.' },
  { text: 'Sentiment improved, with the index rising from 11 to 25.', altered: 'Sentiment improved, with the index rising from 11 to 35.' },
  { text: 'The index jumped 14 points to 25 but remains in fear.', altered: 'The index jumped 14 points to 52 but remains in fear.' },
  { text: 'Fear & Greed climbed to 25 (Extreme Fear) from 11 a day earlier.', altered: 'Fear & Greed climbed to 25 (Extreme Fear) from 15 a day earlier.' },
  { text: 'Market sentiment is still fearful at 25 on the Fear & Greed Index.', altered: 'Market sentiment is still fearful at 35 on the Fear & Greed Index.' },
  { text: 'The Fear & Greed reading more than doubled, from 11 to 25.', altered: 'The Fear & Greed reading more than doubled, from 11 to 22.' },
  { text: 'Fear & Greed is up 14 points at 25.', altered: 'Fear & Greed is down 14 points at 25.' },
  { text: 'The sentiment gauge sits at 25, in extreme fear.', altered: 'The sentiment gauge sits at 45, in extreme fear.' },
  // Rates
  { text: 'The fed funds rate is 3.88%.', altered: 'The fed funds rate is 3.63%.' },
  { text: 'The effective federal funds rate held steady at 3.88%, according to FRED.', altered: 'The effective federal funds rate held steady at 3.98%, according to FRED.' },
  { text: 'The fed funds rate was unchanged at 3.88%.', altered: 'The fed funds rate rose to 3.88%.' },
  { text: 'The 10-year Treasury yield rose 2 basis points to 4.02%.', altered: 'The 10-year Treasury yield fell 2 basis points to 4.02%.' },
  { text: 'The 10-year yield edged up to 4.02% from 4.00%.', altered: 'The 10-year yield edged down to 4.02% from 4.00%.' },
  { text: 'Ten-year Treasuries yielded 4.02%, two basis points higher.', altered: 'Ten-year Treasuries yielded 4.02%, two basis points lower.' },
  { text: 'The 10-year yield is just above 4%.', altered: 'The 10-year yield is just above 5%.' },
  { text: 'The yield on the 10-year note rose by 0.02 percentage points.', altered: 'The yield on the 10-year note rose by 0.2 percentage points.' },
  { text: 'The 10-year Treasury yield is 4.02%, up from 4.00%.', altered: 'The 10-year Treasury yield is 4.02%, down from 4.00%.' },
  // FOMC odds
  { text: 'Polymarket traders put the odds of a 25 bps cut in December at 87%.', altered: 'Polymarket traders put the odds of a 25 bps cut in December at 78%.' },
  { text: 'Prediction markets see roughly 87% odds of a quarter-point cut.', altered: 'Prediction markets see roughly 67% odds of a quarter-point cut.' },
  { text: 'Odds of a quarter-point rate cut rose to 87% from 81% on Polymarket.', altered: 'Odds of a quarter-point rate cut rose to 87% from 71% on Polymarket.' },
  { text: 'Markets price in an 87% chance of a 25 basis point cut.', altered: 'Markets price in an 87% chance of a 50 basis point cut.' },
  { text: 'Polymarket gives a December rate cut a roughly 87% probability.', altered: 'Polymarket gives a December rate cut a roughly 97% probability.' },
  { text: 'Traders see nearly 90% odds of a cut.', altered: 'Traders see nearly 60% odds of a cut.' },
  { text: 'The odds of a 25 bps cut are up 6 points to 87%.', altered: 'The odds of a 25 bps cut are up 16 points to 87%.' },
  // ETF flows
  { text: 'US spot bitcoin ETFs took in $128.7 million.', altered: 'US spot bitcoin ETFs took in $182.7 million.' },
  { text: 'Spot bitcoin ETFs saw net inflows of nearly $129 million.', altered: 'Spot bitcoin ETFs saw net outflows of nearly $129 million.' },
  { text: 'Bitcoin ETFs attracted about $129 million in net inflows, reversing outflows of $151.1 million.', altered: 'Bitcoin ETFs attracted about $192 million in net inflows, reversing outflows of $151.1 million.' },
  { text: 'Spot BTC ETFs recorded $128.7M of inflows.', altered: 'Spot BTC ETFs recorded $128.7M of outflows.' },
  { text: 'BTC ETF inflows totaled $0.13 billion.', altered: 'BTC ETF inflows totaled $0.18 billion.' },
  { text: 'Bitcoin funds added more than $120 million.', altered: 'Bitcoin funds added more than $200 million.' },
  { text: 'Net flows into spot bitcoin ETFs turned positive at $128.7 million after a $151.1 million outflow.', altered: 'Net flows into spot bitcoin ETFs turned positive at $128.7 million after a $115.1 million outflow.' },
  // More phrasings, added after the checker was written (kept to measure, not tuned to)
  { text: 'Bitcoin added 1.6% to trade near $91,200.', altered: 'Bitcoin added 1.6% to trade near $89,200.' },
  { text: "BTC's 24-hour change stands at +1.6%.", altered: "BTC's 24-hour change stands at -1.6%." },
  { text: 'Ether is up roughly 3.4% at about $3,010.', altered: 'Ether is up roughly 3.4% at about $3,210.' },
  { text: 'Solana shed 0.8%.', altered: 'Solana shed 1.8%.' },
  { text: 'The Fear & Greed Index advanced 14 points.', altered: 'The Fear & Greed Index advanced 41 points.' },
  { text: 'Investor sentiment recovered from extreme fear, with the gauge at 25.', altered: 'Investor sentiment recovered from extreme fear, with the gauge at 52.' },
  { text: 'Ten-year yields ticked up two basis points to 4.02%.', altered: 'Ten-year yields ticked up twelve basis points to 4.02%.' },
  { text: 'The fed funds rate stood at 3.88% for another day.', altered: 'The fed funds rate stood at 3.78% for another day.' },
  { text: 'Polymarket shows an 87% likelihood of a 25bp reduction.', altered: 'Polymarket shows an 87% likelihood of a 75bp reduction.' },
  { text: 'Spot bitcoin ETFs pulled in $128.7 million in the latest session.', altered: 'Spot bitcoin ETFs pulled in $12.87 million in the latest session.' },
  { text: 'Bitcoin ETFs logged inflows of roughly $130 million.', altered: 'Bitcoin ETFs logged outflows of roughly $130 million.' },
  { text: "Bitcoin's price climbed to $91,235, a 1.6% gain.", altered: "Bitcoin's price climbed to $91,235, a 1.6% loss." },
  { text: 'ETH traded near $3,000 after jumping 3.4%.', altered: 'ETH traded near $3,000 after sliding 3.4%.' },
  { text: 'Spot bitcoin ETFs drew in $128.7 million after $151.1 million of outflows the session before.', altered: 'Spot bitcoin ETFs drew in $128.7 million after $151.1 million of inflows the session before.' },
  // Stories, with the numbers their headlines give
  { text: 'JPMorgan now expects a quarter-point cut in December, The Block reports.', altered: 'JPMorgan now expects a half-point cut in December, The Block reports.', storyIds: ['st-jpm'] },
  { text: 'JPMorgan economists expect the Fed to cut by 25 basis points on December 10.', altered: 'JPMorgan economists expect the Fed to cut by 25 basis points on December 12.', storyIds: ['st-jpm'] },
  { text: 'JPMorgan sees the Fed cutting by a quarter of a percentage point.', altered: 'JPMorgan sees the Fed cutting by half a percentage point.', storyIds: ['st-jpm'] },
  { text: 'Binance faces a $1 billion lawsuit over alleged terrorism financing.', altered: 'Binance faces a $2 billion lawsuit over alleged terrorism financing.', storyIds: ['st-binance'] },
  { text: 'Binance is being sued for one billion dollars.', altered: 'Binance is being sued for five billion dollars.', storyIds: ['st-binance'] },
  { text: 'Nasdaq wants to raise the IBIT options position limit to 1 million contracts.', altered: 'Nasdaq wants to raise the IBIT options position limit to 10 million contracts.', storyIds: ['st-ibit'] },
  { text: 'Nasdaq has filed to lift the cap on IBIT options to one million contracts.', altered: 'Nasdaq has filed to lift the cap on IBIT options to two million contracts.', storyIds: ['st-ibit'] },
];

/** The sentence as a one-item brief whose leads are that item, so only the sentence is judged. */
function briefOf(text: string, storyIds: string[], input: WriterInput): Brief {
  return {
    name: input.briefName,
    title: `${input.briefName} | ${text}, ${text}`,
    leads: [text, text],
    items: [{ text, storyIds, section: storyIds.length > 0 ? 'other' : 'prices' }],
    marketLine: '',
    sources: [],
    notes: [],
    closing: '',
    writer: 'llm',
    writerReason: null,
    language: 'en',
    createdAt: input.now.toISOString(),
    dataAsOf: input.snapshot.takenAt,
    direction: 'up',
  };
}

export interface CorpusResult {
  total: number;
  /** True sentences refused, with why. */
  falseRefusals: Array<{ text: string; why: string[] }>;
  /** Altered sentences accepted. */
  falseAcceptances: string[];
}

/** Runs the checker over the corpus. */
export function evaluateCorpus(input: WriterInput, corpus: readonly CorpusCase[] = CORPUS): CorpusResult {
  const falseRefusals: CorpusResult['falseRefusals'] = [];
  const falseAcceptances: string[] = [];
  for (const c of corpus) {
    const ids = c.storyIds ?? [];
    const truth = checkBrief(briefOf(c.text, ids, input), input);
    if (truth.length > 0) falseRefusals.push({ text: c.text, why: truth.map((v) => v.detail) });
    if (checkBrief(briefOf(c.altered, ids, input), input).length === 0) falseAcceptances.push(c.altered);
  }
  return { total: corpus.length, falseRefusals, falseAcceptances };
}
