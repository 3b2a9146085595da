/**
 * When two headlines report the same event: the one rule used by clustering and by the
 * "already covered" check, so both agree. Real retellings share the event's actors, its
 * figures and the words of its summary more than the words of their titles; hard negatives
 * (same actors, another event) differ in their figures, their assets or their event words.
 */
import type { EventVector } from './event-vectors.ts';
import { sameMove } from './features.ts';

/** Tellings of one event share at least this many specific words (names, figures, event words). */
export const MIN_SHARED = 2;
/** A pair at or above this is the same event. */
export const SAME_EVENT = 0.3;
/** Weight of the title-only cosine in the score; the rest is title + summary. */
export const TITLE_SHARE = 0.5;
/** Both titles name figures and none agree: "$8 million" vs "$4 million" drained. */
export const AMOUNT_CONFLICT_FACTOR = 0.45;
/** Both titles name assets and none agree: "Bitcoin ETFs" vs "Ether ETFs". */
export const ASSET_CONFLICT_FACTOR = 0.3;
/** Two figures within this relative distance are the same figure ("$15.4 billion" / "$15B"). */
export const AMOUNT_TOLERANCE = 0.05;
export const PERCENT_TOLERANCE = 0.25;
export const PERCENT_POINTS = 1.5;
/** Tellings further apart than this in time count less; news is retold within a day. */
export const TIME_GRACE_HOURS = 18;
export const TIME_DECAY_HOURS = 60;
export const TIME_FLOOR = 0.6;
/**
 * Two titles that report the same asset moving the same way ("XRP spikes 9%", "Why XRP is
 * climbing") within a day are one price-move story at least this surely.
 */
export const SAME_MOVE = 0.42;
export const MOVE_WINDOW_HOURS = 24;
/**
 * Each title names someone the other telling never mentions ("JPMorgan expects ..." vs
 * "Fed's Waller backs ..."): two actors, likely two events.
 */
export const OTHER_ACTORS_FACTOR = 0.4;
/**
 * An asset named in one title (other than bitcoin and ether, which every story mentions) that
 * the other telling never mentions: "Bitwise files for Avalanche ETF" vs "Bitwise files for a
 * stablecoin ETF".
 */
export const ASSET_ABSENT_FACTOR = 0.5;
/** Titles sharing this many names are not penalised for describing the event with other words. */
export const STRONG_NAMES = 3;
/** A question or explainer headline next to another: commentary shares an event's words without being its telling. */
export const QUESTION_FACTOR = 0.7;
/** Same actors, but nothing of what happened in common ("IBIT options limit" vs "IBIT record volume"). */
export const OTHER_ACTION_FACTOR = 0.5;

function dot(ai: Int32Array, aw: Float64Array, bi: Int32Array, bw: Float64Array): number {
  let sum = 0;
  let x = 0;
  let y = 0;
  while (x < ai.length && y < bi.length) {
    const p = ai[x] as number;
    const q = bi[y] as number;
    if (p === q) {
      sum += (aw[x] as number) * (bw[y] as number);
      x++;
      y++;
    } else if (p < q) x++;
    else y++;
  }
  return sum;
}

function sharedCount(a: Int32Array, b: Int32Array): number {
  let n = 0;
  let x = 0;
  let y = 0;
  while (x < a.length && y < b.length) {
    const p = a[x] as number;
    const q = b[y] as number;
    if (p === q) {
      n++;
      x++;
      y++;
    } else if (p < q) x++;
    else y++;
  }
  return n;
}

function sharesAny(a: Int32Array, b: Int32Array): boolean {
  let x = 0;
  let y = 0;
  while (x < a.length && y < b.length) {
    const p = a[x] as number;
    const q = b[y] as number;
    if (p === q) return true;
    if (p < q) x++;
    else y++;
  }
  return false;
}

/** Whether some id of `names` is not in `ids` (both sorted). */
function hasAbsent(names: Int32Array, ids: Int32Array): boolean {
  let y = 0;
  for (const id of names) {
    while (y < ids.length && (ids[y] as number) < id) y++;
    if (y >= ids.length || ids[y] !== id) return true;
  }
  return false;
}

/** Two figures are the same within rounding: 5% for amounts, 25% or 1.5 points for percentages (9% vs 10%). */
function sameFigure(x: EventVector['amounts'][number], y: EventVector['amounts'][number]): boolean {
  if (x.id === y.id) return true;
  if (x.percent !== y.percent) return false;
  const diff = Math.abs(x.value - y.value);
  const size = Math.max(Math.abs(x.value), Math.abs(y.value));
  return x.percent ? diff <= Math.max(PERCENT_POINTS, PERCENT_TOLERANCE * size) : diff <= AMOUNT_TOLERANCE * size;
}

/**
 * Whether two titles' figures disagree: for amounts, and for percentages, when both titles
 * name one of that kind and none of them match.
 */
export function amountsConflict(a: EventVector['amounts'], b: EventVector['amounts']): boolean {
  for (const percent of [false, true]) {
    const xs = a.filter((x) => x.percent === percent);
    const ys = b.filter((y) => y.percent === percent);
    if (xs.length > 0 && ys.length > 0 && !xs.some((x) => ys.some((y) => sameFigure(x, y)))) return true;
  }
  return false;
}

/** 1 within a day, then down to TIME_FLOOR; undated tellings are not penalised. */
export function timeFactor(a: number | null, b: number | null): number {
  if (a === null || b === null) return 1;
  const hours = Math.abs(a - b) / 3_600_000;
  if (hours <= TIME_GRACE_HOURS) return 1;
  return Math.max(TIME_FLOOR, 1 - (hours - TIME_GRACE_HOURS) / TIME_DECAY_HOURS);
}

/**
 * How surely two headlines report the same event, 0..1 (compare with SAME_EVENT).
 *
 * @example eventSimilarity(vectors[0], vectors[1]) >= SAME_EVENT // one story
 */
export function eventSimilarity(a: EventVector, b: EventVector): number {
  if (a.fullNorm === 0 || b.fullNorm === 0 || a.roundup || b.roundup) return 0;
  const full = dot(a.fullIds, a.fullWeights, b.fullIds, b.fullWeights) / (a.fullNorm * b.fullNorm);
  const moved = sameMove(a.move, b.move) && (a.time === null || b.time === null || Math.abs(a.time - b.time) <= MOVE_WINDOW_HOURS * 3_600_000);
  // A name both titles lead with ("Swift ...", "Swift ...") is an anchor of its own on title-only days.
  const anchored = sharedCount(a.names, b.names) > 0;
  if (!moved && (full === 0 || (sharedCount(a.specific, b.specific) < MIN_SHARED && !anchored))) return 0;
  const title = a.titleNorm > 0 && b.titleNorm > 0 ? dot(a.titleIds, a.titleWeights, b.titleIds, b.titleWeights) / (a.titleNorm * b.titleNorm) : 0;
  let score = TITLE_SHARE * title + (1 - TITLE_SHARE) * full;
  if (hasAbsent(a.ownAssets, b.fullIds) || hasAbsent(b.ownAssets, a.fullIds)) score *= ASSET_ABSENT_FACTOR;
  // Each names someone the other never mentions, and they share at most one name ("Fed").
  if (hasAbsent(a.names, b.fullIds) && hasAbsent(b.names, a.fullIds) && sharedCount(a.names, b.names) <= 1) score *= OTHER_ACTORS_FACTOR;
  // Many names in common pin the event even when each telling says it with its own verbs.
  const strongNames = sharedCount(a.names, b.names) >= STRONG_NAMES;
  if (!strongNames && a.actions.length > 0 && b.actions.length > 0 && !sharesAny(a.actions, b.fullIds) && !sharesAny(b.actions, a.fullIds)) score *= OTHER_ACTION_FACTOR;
  if (amountsConflict(a.amounts, b.amounts)) score *= AMOUNT_CONFLICT_FACTOR;
  // One market move is told with many levels ("toward $40K", "loses $130 billion").
  if (a.question) score *= QUESTION_FACTOR;
  if (b.question) score *= QUESTION_FACTOR;
  // "Why Bitcoin and Dogecoin are down today" explains the move it tells: a telling all the same.
  if (moved) score = Math.max(score, SAME_MOVE);
  if (a.assets.length > 0 && b.assets.length > 0 && !sharesAny(a.assets, b.assets)) score *= ASSET_CONFLICT_FACTOR;
  return score * timeFactor(a.time, b.time);
}
