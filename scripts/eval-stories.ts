/**
 * Scores the project's story clustering and extractive brief against the hand-labelled set
 * in eval/stories/en: per day and overall pairwise and B-cubed precision/recall/F1, events
 * told twice in the brief, and the title leads, beside the targets and a merge-nothing baseline.
 * Offline and deterministic. Exit 0 whatever the figures (they are the report); exit 2 when
 * a day file fails validation.
 *
 * @example npm run eval:stories            # the report
 * @example npm run eval:stories -- --json  # machine output
 * @example npm run eval:stories -- --verbose  # also the split events and mixed stories
 * @example npm run eval:stories -- --lang zh  # only the Chinese set (eval/stories/zh)
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadStoryDays } from './eval/load.ts';
import { addBcubedSums, addPairCounts, bcubedScores, pairwiseScores, type BcubedSums, type PairCounts, type Prf } from './eval/metrics.ts';
import { scoreDay, type DayScore } from './eval/score-day.ts';

export const TARGETS = { pairwiseF1: 0.85, pairwisePrecision: 0.95, bcubedF1: 0.97, toldTwice: 0 } as const;

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_DIR = join(HERE, '..', 'eval', 'stories', 'en');

function fmt(x: number): string {
  return x.toFixed(3);
}

function prfLine(label: string, p: Prf): string {
  return `${label} P ${fmt(p.precision)}  R ${fmt(p.recall)}  F1 ${fmt(p.f1)}`;
}

function mark(ok: boolean): string {
  return ok ? 'ok ' : 'MISS';
}

interface Overall {
  days: number;
  headlines: number;
  outlets: string[];
  events: number;
  bigEvents: number;
  dropped: number;
  pairwise: Prf;
  bcubed: Prf;
  baselinePairwise: Prf;
  baselineBcubed: Prf;
  pairs: PairCounts;
  toldTwice: number;
  hardNegatives: number;
  hardNegativesMerged: number;
  meetsTargets: boolean;
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const dirArg = argv.find((a) => !a.startsWith('--'));
  const dir = dirArg ?? DEFAULT_DIR;
  const started = performance.now();
  const { days, errors } = await loadStoryDays(dir);
  if (errors.length > 0) {
    process.stderr.write(`eval:stories: the labelled set in ${dir} is not valid:\n${errors.map((e) => `  ${e}`).join('\n')}\n`);
    return 2;
  }
  if (days.length === 0) {
    process.stderr.write(`eval:stories: no day files in ${dir}\n`);
    return 2;
  }

  const scores: DayScore[] = [];
  const outlets = new Set<string>();
  for (const { day } of days) {
    const { brief: _brief, storyList: _stories, ...score } = scoreDay(day);
    scores.push(score);
    for (const h of day.headlines) outlets.add(h.outlet);
  }
  const zeroPairs: PairCounts = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  const zeroB: BcubedSums = { precisionSum: 0, recallSum: 0, items: 0 };
  const pairs = scores.reduce((a, s) => addPairCounts(a, s.pairs), zeroPairs);
  const overall: Overall = {
    days: scores.length,
    headlines: scores.reduce((a, s) => a + s.headlines, 0),
    outlets: [...outlets].sort(),
    events: scores.reduce((a, s) => a + s.events, 0),
    bigEvents: scores.reduce((a, s) => a + s.bigEvents, 0),
    dropped: scores.reduce((a, s) => a + s.dropped, 0),
    pairwise: pairwiseScores(pairs),
    bcubed: bcubedScores(scores.reduce((a, s) => addBcubedSums(a, s.bcubed), zeroB)),
    baselinePairwise: pairwiseScores(scores.reduce((a, s) => addPairCounts(a, s.baselinePairs), zeroPairs)),
    baselineBcubed: bcubedScores(scores.reduce((a, s) => addBcubedSums(a, s.baselineBcubed), zeroB)),
    pairs,
    toldTwice: scores.reduce((a, s) => a + s.toldTwice.length, 0),
    hardNegatives: scores.reduce((a, s) => a + s.hardNegatives, 0),
    hardNegativesMerged: scores.reduce((a, s) => a + s.hardNegativesMerged.length, 0),
    meetsTargets: false,
  };
  overall.meetsTargets =
    overall.pairwise.f1 >= TARGETS.pairwiseF1 &&
    overall.pairwise.precision >= TARGETS.pairwisePrecision &&
    overall.bcubed.f1 >= TARGETS.bcubedF1 &&
    overall.toldTwice <= TARGETS.toldTwice;
  const ms = Math.round(performance.now() - started);

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ targets: TARGETS, overall, days: scores.map((s) => ({ ...s, pairwise: pairwiseScores(s.pairs), bcubedScores: bcubedScores(s.bcubed) })), ms }, null, 2)}\n`,
    );
    return 0;
  }

  const out: string[] = [];
  for (const s of scores) {
    out.push(
      `${s.date}  ${s.headlines} headlines, ${s.outlets} outlets, ${s.events} events (${s.bigEvents} told by 5+ outlets) -> ${s.stories} stories${s.dropped ? `, ${s.dropped} dropped as stale` : ''}`,
    );
    if (s.disagreements.length > 0) out.push(`  WARNING: ${s.disagreements.length} stories span several clusters of clusterHeadlines (buildStories no longer stories its clusters): ${s.disagreements.slice(0, 3).join(' | ')}`);
    out.push(`  ${prfLine('pairwise', pairwiseScores(s.pairs))}   (${s.pairs.truePositives} right pairs, ${s.pairs.falsePositives} wrong, ${s.pairs.falseNegatives} missed)`);
    out.push(`  ${prfLine('B-cubed ', bcubedScores(s.bcubed))}   baseline merge-nothing B-cubed F1 ${fmt(bcubedScores(s.baselineBcubed).f1)}`);
    out.push(`  hard negatives kept apart: ${s.hardNegatives - s.hardNegativesMerged.length}/${s.hardNegatives}${s.hardNegativesMerged.map((n) => `  MERGED ${n.events.join(' + ')}`).join('')}`);
    out.push(`  brief: ${s.briefItems} story sentences, events told twice: ${s.toldTwice.length}${s.toldTwice.map((t) => `  [${t.event} x${t.sentences.length}]`).join('')}`);
    out.push(`  title leads: ${s.leads.map((l) => `"${l.text}" [${l.event ?? '?'}]`).join(' | ')}`);
    if (verbose) {
      for (const e of s.splitEvents) out.push(`    split: ${e.event} (${e.outlets} outlets) over ${e.stories} stories`);
      for (const st of s.impureStories) out.push(`    mixed: "${st.title}" = ${st.events.join(', ')}`);
      for (const t of s.toldTwice) for (const sentence of t.sentences) out.push(`    twice ${t.event}: ${sentence}`);
    }
  }
  const o = overall;
  out.push('');
  out.push(`overall: ${o.days} days, ${o.headlines} headlines, ${o.outlets.length} outlets, ${o.events} events (${o.bigEvents} told by 5+ outlets)${o.dropped ? `, ${o.dropped} dropped as stale` : ''}`);
  out.push(`  ${prfLine('pairwise', o.pairwise)}   target F1 >= ${TARGETS.pairwiseF1} ${mark(o.pairwise.f1 >= TARGETS.pairwiseF1)}, P >= ${TARGETS.pairwisePrecision} ${mark(o.pairwise.precision >= TARGETS.pairwisePrecision)}`);
  out.push(`  ${prfLine('B-cubed ', o.bcubed)}   target F1 >= ${TARGETS.bcubedF1} ${mark(o.bcubed.f1 >= TARGETS.bcubedF1)}`);
  out.push(`  events told twice in the briefs: ${o.toldTwice}   target ${TARGETS.toldTwice} ${mark(o.toldTwice <= TARGETS.toldTwice)}`);
  out.push(`  hard negatives kept apart: ${o.hardNegatives - o.hardNegativesMerged}/${o.hardNegatives}`);
  out.push(`  baseline (merge nothing): ${prfLine('pairwise', o.baselinePairwise)} | ${prfLine('B-cubed', o.baselineBcubed)}`);
  out.push(`  ${o.meetsTargets ? 'meets every target' : 'does not meet the targets yet'} (${ms} ms; --verbose lists split events and mixed stories)`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/**
 * `--lang xx` scores eval/stories/xx; with no folder, no --lang and no --json, the English set
 * and then the Chinese one (issue 18), each with its own figures.
 */
async function run(argv: string[]): Promise<number> {
  const at = argv.indexOf('--lang');
  const rest = argv.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
  if (at >= 0) return main([...rest, join(HERE, '..', 'eval', 'stories', argv[at + 1] ?? 'en')]);
  if (rest.includes('--json') || rest.some((a) => !a.startsWith('--'))) return main(rest);
  const en = await main(rest);
  process.stdout.write('\nChinese set (eval/stories/zh, --lang zh):\n');
  return Math.max(en, await main([...rest, join(HERE, '..', 'eval', 'stories', 'zh')]));
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`eval:stories: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
