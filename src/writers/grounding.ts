/**
 * The product's promise: a brief says nothing the gathered data does not support. Every
 * writer's output passes through `checkBrief` before it goes out. Checks: every number is a
 * fact of the snapshot (or a value derived from one) or appears in a cited story's headline or
 * summary, within rounding; every cited story exists; an item without a story is a
 * market-data sentence; each lead is one of the items; no item is about a story it does not cite.
 */
import type { Brief, Story } from '../domain.ts';
import type { WriterInput } from './types.ts';
import { describeMention, extractNumbers, matchesValue, type NumberKind, type NumberMention } from './numbers.ts';
import { wrongDirections } from './directions.ts';
import { calendarFacts, collectFacts, type Fact } from './facts.ts';
import { contentTokens, overlap } from './text-overlap.ts';

export { collectFacts, type Fact } from './facts.ts';
export { contentTokens } from './text-overlap.ts';

export type ViolationKind =
  /** A number that matches no fact and no headline. */
  | 'ungrounded-number'
  /** A storyId that is not in the input. */
  | 'unknown-story'
  /** An item with no story that is not a market-data sentence. */
  | 'unsourced-item'
  /** An item whose words have nothing in common with the story it cites. */
  | 'off-story'
  /** A title lead that is not one of the items. */
  | 'lead-not-in-items'
  /** A figure past its freshness rule written without its date, i.e. as current. */
  | 'stale-figure'
  /** A direction word the data contradicts ("ETH fell" when it rose, "outflows" on a day of inflows). */
  | 'wrong-direction'
  /** Two items that cite the same story: one event told twice. */
  | 'duplicate-story';

export interface Violation {
  kind: ViolationKind;
  /** One line a person (or the model, in the repair request) can act on: "price $3,450 not in data". */
  detail: string;
  /** The item it is about; absent for the title and leads. */
  itemIndex?: number;
}

const MONTH_NAMES = /\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b/g;
const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/** What a piece of source text supports: its numbers and the months it names in words. */
interface TextEvidence {
  mentions: NumberMention[];
  months: Set<number>;
}

function evidenceOf(texts: readonly string[]): TextEvidence {
  const mentions: NumberMention[] = [];
  const months = new Set<number>();
  for (const text of texts) {
    mentions.push(...extractNumbers(text));
    for (const m of text.matchAll(MONTH_NAMES)) {
      const month = MONTH_INDEX[m[1]!.slice(0, 3).toLowerCase()];
      if (month) months.add(month);
    }
  }
  for (const m of mentions) if (m.kind === 'date') months.add(Math.floor(m.value / 100));
  return { mentions, months };
}

function storyTexts(story: Story): string[] {
  return [story.title, story.summary, ...story.sources.map((s) => s.title)];
}

const NUMERIC: ReadonlySet<NumberKind> = new Set(['usd', 'plain', 'year']);

/** Does a number written in the source text support the claimed one? */
function supportedByText(claim: NumberMention, source: NumberMention): boolean {
  switch (claim.kind) {
    case 'date':
      return source.kind === 'date' && source.value === claim.value;
    case 'month':
      return (source.kind === 'month' && source.value === claim.value) || (source.kind === 'date' && Math.floor(source.value / 100) === claim.value);
    case 'time':
      return source.kind === 'time' && source.value === claim.value;
    case 'year':
      return (source.kind === 'year' || source.year !== undefined || NUMERIC.has(source.kind)) && (source.year ?? source.value) === claim.value;
    case 'percent':
      if (source.kind === 'bps') return matchesValue(claim, source.value / 100);
      return (source.kind === 'percent' || source.kind === 'plain') && matchesValue(claim, source.value);
    case 'bps':
      if (source.kind === 'percent') return matchesValue(claim, source.value * 100);
      return (source.kind === 'bps' || source.kind === 'plain') && matchesValue(claim, source.value);
    case 'usd':
    case 'plain':
      return NUMERIC.has(source.kind) && matchesValue(claim, source.value);
  }
}

function supportedByFact(claim: NumberMention, fact: Fact): boolean {
  const kind = claim.kind === 'year' ? 'plain' : claim.kind;
  return fact.kinds.includes(kind) && matchesValue(claim, fact.value);
}

interface Grounded {
  /** Fact keys (or "story:<id>") the text's numbers matched, to tell whether a lead and an item share a fact. */
  keys: Set<string>;
  /** Numbers matched by snapshot facts (not just by headlines). */
  factNumbers: number;
  /** Numbers matched by nothing (or only by stale figures, written without their date). */
  missing: NumberMention[];
  /** For a missing number that matched a stale figure: that figure's day. */
  staleDay: Map<NumberMention, string>;
}

interface Context {
  facts: Fact[];
  calendar: ReturnType<typeof calendarFacts>;
  /** Numbers in indicator details ("... by 25 bps after the December meeting?"). */
  dataText: TextEvidence;
  storyEvidence: Map<string, TextEvidence>;
}

function ground(text: string, ctx: Context, storyIds: readonly string[]): Grounded {
  const keys = new Set<string>();
  const missing: NumberMention[] = [];
  const staleDay = new Map<NumberMention, string>();
  let factNumbers = 0;
  const mentions = extractNumbers(text);
  const datesWritten = new Set(mentions.filter((m) => m.kind === 'date').map((m) => m.value));
  for (const claim of mentions) {
    let ok = false;
    if (claim.kind === 'time' && ctx.calendar.times.has(claim.value)) {
      ok = true;
      keys.add(`calendar:time:${claim.value}`);
    }
    if (claim.kind === 'date' || claim.kind === 'month' || claim.kind === 'year') {
      const inCalendar =
        claim.kind === 'date' ? ctx.calendar.dates.has(claim.value) : claim.kind === 'month' ? ctx.calendar.months.has(claim.value) : ctx.calendar.years.has(claim.value);
      const yearOk = claim.year === undefined || ctx.calendar.years.has(claim.year);
      if (inCalendar && yearOk) {
        ok = true;
        keys.add(`calendar:${claim.kind}:${claim.value}`);
      }
    }
    let staleHit: string | null = null;
    if (!ok && claim.kind !== 'date' && claim.kind !== 'month' && claim.kind !== 'time') {
      for (const fact of ctx.facts) {
        if (!supportedByFact(claim, fact)) continue;
        // A stale figure grounds a claim only when the sentence gives its day ("on 20 Nov").
        if (fact.stale && !datesWritten.has(fact.stale.date)) {
          staleHit ??= fact.stale.label;
          continue;
        }
        ok = true;
        keys.add(fact.key);
      }
      if (ok) factNumbers++;
    }
    const evidence: Array<[string, TextEvidence]> = [['data', ctx.dataText]];
    for (const id of storyIds) {
      const ev = ctx.storyEvidence.get(id);
      if (ev) evidence.push([`story:${id}`, ev]);
    }
    for (const [key, ev] of evidence) {
      const hit =
        ev.mentions.some((source) => supportedByText(claim, source)) ||
        (claim.kind === 'month' && ev.months.has(claim.value));
      if (hit) {
        ok = true;
        keys.add(key);
      }
    }
    if (!ok) {
      missing.push(claim);
      if (staleHit) staleDay.set(claim, staleHit);
    }
  }
  return { keys, factNumbers, missing, staleDay };
}

function short(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** A lead is one of the items when it shares a fact with it or most of its words. */
function leadMatchesItem(lead: string, leadGrounded: Grounded, itemText: string, itemGrounded: Grounded, citedTitles: string[]): boolean {
  for (const key of leadGrounded.keys) if (itemGrounded.keys.has(key) && !key.startsWith('data')) return true;
  const leadTokens = contentTokens(lead);
  if (leadTokens.size === 0) return false;
  const target = contentTokens([itemText, ...citedTitles].join(' '));
  const { shared, comparable } = overlap(leadTokens, target);
  return comparable > 0 && shared / comparable >= 0.5;
}

/** "price $65,610 not in data", or for a stale figure "rate 3.63% is from 20 Nov: out of date, give its date or leave it out". */
function numberViolation(m: NumberMention, staleDay: ReadonlyMap<NumberMention, string>, prefix = ''): Violation {
  const day = staleDay.get(m);
  if (day) return { kind: 'stale-figure', detail: `${prefix}${describeMention(m)} is from ${day}, out of date: give its date or leave it out` };
  return { kind: 'ungrounded-number', detail: `${prefix}${describeMention(m)} not in data` };
}

/**
 * Every way the brief says something the input does not support; empty means it may go out.
 * @example const violations = checkBrief(brief, input); if (violations.length) repair(violations);
 */
export function checkBrief(brief: Brief, input: WriterInput): Violation[] {
  const violations: Violation[] = [];
  const storyById = new Map(input.stories.map((s) => [s.id, s]));
  const ctx: Context = {
    facts: collectFacts(input),
    calendar: calendarFacts(input),
    dataText: evidenceOf(input.snapshot.indicators.flatMap((i) => [i.detail ?? '', i.classification ?? ''])),
    storyEvidence: new Map(input.stories.map((s) => [s.id, evidenceOf(storyTexts(s))])),
  };
  const allIds = input.stories.map((s) => s.id);

  const items = brief.items.map((item, index) => {
    const valid = item.storyIds.filter((id) => storyById.has(id));
    for (const id of item.storyIds) {
      if (!storyById.has(id)) violations.push({ kind: 'unknown-story', detail: `cites story "${id}", which is not among the input stories`, itemIndex: index });
    }
    const grounded = ground(item.text, ctx, valid);
    let missing = grounded.missing;
    let staleDay = grounded.staleDay;
    if (item.storyIds.length === 0 && grounded.factNumbers === 0) {
      // Not a market-data sentence. If a story has its numbers, the item should have cited it;
      // numbers no story has are reported as such (a market sentence with a wrong number).
      const elsewhere = ground(item.text, ctx, allIds);
      if (missing.length === 0 || elsewhere.missing.length < missing.length) {
        violations.push({ kind: 'unsourced-item', detail: `cites no story and is not a market-data sentence: "${short(item.text)}"`, itemIndex: index });
        missing = elsewhere.missing;
        staleDay = elsewhere.staleDay;
      }
    }
    for (const m of missing) violations.push({ ...numberViolation(m, staleDay), itemIndex: index });
    // A market-data sentence's direction words must agree with the data (a story's are the outlet's).
    if (item.storyIds.length === 0) {
      for (const detail of wrongDirections(item.text, input.snapshot)) violations.push({ kind: 'wrong-direction', detail, itemIndex: index });
    }
    if (valid.length > 0) {
      const cited = valid.map((id) => storyById.get(id)!);
      const { shared, comparable } = overlap(contentTokens(item.text), contentTokens(cited.flatMap(storyTexts).concat(cited.flatMap((s) => s.sources.map((x) => x.sourceName))).join(' ')));
      const sharesNumber = [...grounded.keys].some((k) => k.startsWith('story:'));
      if (comparable >= 3 && shared === 0 && !sharesNumber) {
        violations.push({
          kind: 'off-story',
          detail: `is not about the story it cites ("${short(cited[0]!.title)}")`,
          itemIndex: index,
        });
      }
    }
    return { item, valid, grounded };
  });

  // The title's numbers (after the brief's name) and each lead: grounded against any input story.
  const titleRest = brief.title.startsWith(brief.name) ? brief.title.slice(brief.name.length) : brief.title;
  const leadsInTitle = brief.leads.every((lead) => titleRest.includes(lead));
  if (!leadsInTitle) {
    const g = ground(titleRest, ctx, allIds);
    for (const m of g.missing) violations.push(numberViolation(m, g.staleDay, 'title: '));
  }
  brief.leads.forEach((lead, i) => {
    const label = `lead ${i === 0 ? 'A' : 'B'}`;
    const grounded = ground(lead, ctx, allIds);
    for (const m of grounded.missing) violations.push(numberViolation(m, grounded.staleDay, `${label}: `));
    // A lead retelling a headline speaks for its outlet; a market lead must agree with the data.
    const headlineLike = input.stories.some((st) => {
      const { shared, comparable } = overlap(contentTokens(lead), contentTokens(storyTexts(st).join(' ')));
      return comparable > 0 && shared / comparable >= 0.5;
    });
    if (!headlineLike) for (const detail of wrongDirections(lead, input.snapshot)) violations.push({ kind: 'wrong-direction', detail: `${label}: ${detail}` });
    const among = lead.trim() !== '' && items.some(({ item, valid, grounded: g }) =>
      leadMatchesItem(lead, grounded, item.text, g, valid.map((id) => storyById.get(id)!.title)),
    );
    if (!among) violations.push({ kind: 'lead-not-in-items', detail: `${label} "${short(lead)}" is not one of the items` });
  });
  return violations;
}

/**
 * One line for a run record: "price $3,450 not in data; item 4 cites story ..." (at most `max` shown).
 * @example summarizeViolations(checkBrief(brief, input))
 */
export function summarizeViolations(violations: readonly Violation[], max = 3): string {
  const shown = violations.slice(0, max).map((v) => v.detail);
  const more = violations.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}

/** The violations as a list the model can act on, one per line, with the item each is about. */
export function listViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `- ${v.itemIndex === undefined ? 'title' : `item ${v.itemIndex + 1}`}: ${v.detail}`).join('\n');
}
