/**
 * Direction words checked against the sign of the data: "ETH fell" when ETH rose 3.4%, "Fear &
 * Greed dropped" when the index went from 11 to 25, "outflows" on a day of net inflows. Each
 * direction word is tied to the nearest subject before it in the same clause (an asset, the
 * index, a rate or yield, ETF flows); words with no subject close before them are not judged.
 */
import { INDICATOR_IDS, type Indicator, type Snapshot } from '../domain.ts';
import { assetAliases } from './extractive/market.ts';

type Direction = 'up' | 'down' | 'flat';

interface Subject {
  /** How the message names it: "ETH", "the Fear & Greed Index". */
  name: string;
  re: RegExp;
  /** What the data says, with the figure for the message; null when the data has no change. */
  actual: { direction: Direction; what: string } | null;
  /** ETF flows: the words that matter are inflows/outflows, not rose/fell. */
  flow?: boolean;
  /** The previous session's direction, for "after outflows of ..." (unknown for a 24h price move). */
  earlier?: Direction;
}

const UP = String.raw`rose|rise[sn]?|rising|gain(?:ed|s|ing)?|climb(?:ed|s|ing)?|jump(?:ed|s|ing)?|rall(?:ied|ies|ying)|surg(?:ed|es|ing)|advanc(?:ed|es|ing)|higher|increas(?:ed|es|ing)|rebound(?:ed|s|ing)?|recover(?:ed|s|ing)?|edg(?:ed|es) up|tick(?:ed|s) up|soar(?:ed|s|ing)?|add(?:ed|s)`;
const DOWN = String.raw`f[ae]ll(?:s|en|ing)?|drop(?:ped|s|ping)?|sli(?:d|des|ding)|slip(?:ped|s|ping)?|declin(?:ed|es|ing)|los(?:t|es|ing)|tumbl(?:ed|es|ing)|lower|decreas(?:ed|es|ing)|s[au]nk|sinks|plung(?:ed|es|ing)|retreat(?:ed|s|ing)?|eas(?:ed|es|ing)|dip(?:ped|s|ping)?|shed(?:s|ding)?|slump(?:ed|s|ing)?|edg(?:ed|es) down|tick(?:ed|s) down|loss(?:es)?`;
/** "up"/"down" only where they state a move ("up 14 points", "down from 11", "up 3.4%"), not "ramp up". */
const BARE = String.raw`(up|down)(?=\s+(?:[\d$+−-]|from|by|to\s+[\d$]|about|nearly|roughly|some|more|over|sharply|slightly)|\s*[,.;)]|\s*$)`;
const MOVE = new RegExp(String.raw`\b(?:(${UP})|(${DOWN}))\b|\b${BARE}`, 'gi');
const FLOW = /\b(?:(inflows?|took in|attracted|drew in)|(outflows?|bled|redemptions))\b/gi;
/** A clause ends at these: a move after them belongs to a new subject. */
const CLAUSE_BREAK = /[;"“”]|\.\s|\bwhile\b|\bbut\b|\bwhereas\b/i;
const MAX_GAP = 70;
/** Words that move what follows to an earlier day. */
const EARLIER = /\b(?:after|following|from|reversing|versus|vs\.?|compared with|prior|previous|earlier|yesterday|a day before)\b/i;

function dir(change: number, flatBelow = 0): Direction {
  if (Math.abs(change) <= flatBelow) return 'flat';
  return change > 0 ? 'up' : 'down';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function indicatorSubject(ind: Indicator): Subject | null {
  const change = ind.previous === null ? null : ind.value - ind.previous;
  const actual = (what: string) => (change === null ? null : { direction: dir(change, 1e-9), what });
  switch (ind.id) {
    case INDICATOR_IDS.fearGreed:
      return { name: 'the Fear & Greed Index', re: /\bfear\s*(?:&|and)\s*greed(?:\s+index)?|\bsentiment(?:\s+index)?\b|\bthe index\b/gi, actual: actual(`went from ${ind.previous} to ${ind.value}`) };
    case INDICATOR_IDS.fedFunds:
      return { name: 'the fed funds rate', re: /\bfed(?:eral)?\s+funds(?:\s+rate)?\b/gi, actual: actual(`went from ${ind.previous}% to ${ind.value}%`) };
    case INDICATOR_IDS.us10y:
      return { name: 'the 10-year yield', re: /\b(?:10|ten)-year(?:\s+treasury)?(?:\s+yield)?\b|\btreasury\s+yields?\b|\byields?\b/gi, actual: actual(`went from ${ind.previous}% to ${ind.value}%`) };
    case INDICATOR_IDS.etfFlowBtc:
    case INDICATOR_IDS.etfFlowEth: {
      const asset = ind.id === INDICATOR_IDS.etfFlowBtc ? '(?:bitcoin|btc)' : '(?:ether|eth|ethereum)';
      const re = new RegExp(`\\b(?:us\\s+)?(?:spot\\s+)?${asset}(?:\\s+spot)?\\s+etfs?\\b`, 'gi');
      const subject: Subject = { name: ind.id === INDICATOR_IDS.etfFlowBtc ? 'bitcoin ETF flows' : 'ether ETF flows', re, actual: { direction: dir(ind.value), what: `net ${ind.value < 0 ? 'outflows' : 'inflows'} of $${Math.abs(ind.value)} million` }, flow: true };
      if (ind.previous !== null) subject.earlier = dir(ind.previous);
      return subject;
    }
    default:
      return null;
  }
}

function subjects(snapshot: Snapshot): Subject[] {
  const out: Subject[] = [];
  // ETF subjects first: "bitcoin ETFs" is about flows, not about BTC's price.
  for (const ind of snapshot.indicators) {
    const s = indicatorSubject(ind);
    if (s) out.push(s);
  }
  out.sort((a, b) => Number(Boolean(b.flow)) - Number(Boolean(a.flow)));
  // "spot ETFs" without an asset: the bitcoin funds (after the named ones, so "ether ETFs" stays ether's).
  const btcFlow = out.find((x) => x.name === 'bitcoin ETF flows');
  const generic = btcFlow ? [{ ...btcFlow, re: /\b(?:spot\s+)?etfs?\b/gi }] : [];
  for (const q of snapshot.quotes) {
    const names = [...new Set([q.symbol.toLowerCase(), ...assetAliases(q)])].map(escape).join('|');
    const change = q.change24hPct;
    out.push({
      name: q.symbol.toUpperCase(),
      re: new RegExp(`\\b(?:${names})\\b(?!\\s+(?:spot\\s+)?etfs?\\b)`, 'gi'),
      // A move that rounds to 0.0% has no direction worth arguing about ("edged up" may be fair).
      actual: change === null || Math.abs(change) < 0.05 ? null : { direction: dir(change), what: `${change > 0 ? 'rose' : 'fell'} ${Math.abs(change).toFixed(1)}%` },
    });
  }
  return [...out, ...generic];
}

/** Text inside quotation marks (a market's question, a headline) is not the brief's own claim. */
function blankQuotes(text: string): string {
  return text.replace(/["“][^"”]*["”]/g, (q) => ' '.repeat(q.length));
}

/**
 * One line per direction word the data contradicts.
 * @example wrongDirections('ETH fell 3.4% to $3,012.', snapshot) // ['says ETH fell, but it rose 3.4%']
 */
export function wrongDirections(text: string, snapshot: Snapshot): string[] {
  const plain = blankQuotes(text);
  const found: Array<{ start: number; end: number; subject: Subject }> = [];
  for (const subject of subjects(snapshot)) {
    for (const m of plain.matchAll(new RegExp(subject.re.source, subject.re.flags))) {
      const start = m.index;
      const end = start + m[0].length;
      if (!found.some((f) => start < f.end && end > f.start)) found.push({ start, end, subject });
    }
  }
  const out: string[] = [];
  const judge = (re: RegExp, flowWords: boolean) => {
    for (const m of plain.matchAll(new RegExp(re.source, re.flags))) {
      const says: Direction = m[1] ? 'up' : m[2] ? 'down' : m[3]?.toLowerCase() === 'up' ? 'up' : 'down';
      const before = found.filter((f) => f.end <= m.index && m.index - f.end <= MAX_GAP && !CLAUSE_BREAK.test(plain.slice(f.end, m.index)));
      const nearest = before.sort((a, b) => b.end - a.end)[0];
      if (!nearest) continue;
      const subject = nearest.subject;
      if (!subject.actual || Boolean(subject.flow) !== flowWords) continue;
      // "took in $128.7 million after outflows of ...": about the session before, judged by it.
      const aboutEarlier = EARLIER.test(plain.slice(nearest.end, m.index)) && subject.earlier !== undefined;
      if (aboutEarlier && (subject.earlier === says || subject.earlier === 'flat')) continue;
      const actual = aboutEarlier ? subject.earlier! : subject.actual.direction;
      if (actual === says || (actual === 'flat' && flowWords)) continue;
      out.push(`says ${subject.name} ${m[0].trim()}, but the data says it ${subject.actual.what}`);
    }
  };
  judge(MOVE, false);
  judge(FLOW, true);
  return out;
}
