/** `morning-brief history` and `morning-brief show <brief id>`: what was written, by whom, at what cost. */
import type { Brief } from '../domain.ts';
import type { Db } from '../store/db.ts';
import { getBrief, getRunSnapshot, listBriefs } from '../store/runs.ts';
import { renderText } from '../render/text.ts';

export interface HistoryIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

function pad(value: string, width: number): string {
  return value.length >= width ? value.slice(0, width) : value + ' '.repeat(width - value.length);
}

/** What `auto` records when no key is set: the extractive writer was the plan, not a fallback. */
const NO_LLM_CONFIGURED = /^auto: no LLM configured/;

/** The LLM was asked for (a key was set, or --writer llm) and the extractive brief went out instead. */
function fellBack(brief: Brief): boolean {
  return brief.writer === 'extractive' && brief.writerReason !== null && !NO_LLM_CONFIGURED.test(brief.writerReason);
}

/**
 * @example runHistoryCommand(db, { limit: 20, json: false }, { stdout, stderr });
 */
export function runHistoryCommand(db: Db, opts: { limit: number; json: boolean }, io: HistoryIo): number {
  const briefs = listBriefs(db, opts.limit);
  if (opts.json) {
    io.stdout.write(
      `${JSON.stringify(
        briefs.map((b) => ({
          id: b.id,
          runId: b.runId,
          createdAt: b.brief.createdAt,
          dataAsOf: b.brief.dataAsOf,
          edition: b.edition,
          language: b.brief.language,
          writer: b.brief.writer,
          writerReason: b.brief.writerReason,
          title: b.brief.title,
          tokensIn: b.tokensIn,
          tokensOut: b.tokensOut,
          costUsd: b.costUsd,
        })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  if (briefs.length === 0) {
    io.stdout.write('No briefs yet. Run `morning-brief run` (or `npm run demo`) to write one.\n');
    return 0;
  }
  io.stdout.write(`${pad('ID', 5)} ${pad('CREATED (UTC)', 17)} ${pad('RUN', 5)} ${pad('LANG', 5)} ${pad('WRITER', 11)} ${pad('TOKENS IN/OUT', 14)} ${pad('COST', 9)} TITLE\n`);
  for (const b of briefs) {
    const tokens = b.tokensIn !== null ? `${b.tokensIn}/${b.tokensOut ?? 0}` : '-';
    const cost = b.costUsd !== null ? `$${b.costUsd.toFixed(4)}` : '-';
    const writer = fellBack(b.brief) ? 'extractive*' : b.brief.writer;
    io.stdout.write(
      `${pad(String(b.id), 5)} ${pad(b.brief.createdAt.slice(0, 16).replace('T', ' '), 17)} ${pad(String(b.runId), 5)} ${pad(b.brief.language, 5)} ${pad(writer, 11)} ${pad(tokens, 14)} ${pad(cost, 9)} ${b.brief.title}\n`,
    );
    // The writer's refusal reason lives here and in `show`, never in the brief text.
    if (fellBack(b.brief)) io.stdout.write(`      why: ${b.brief.writerReason}\n`);
  }
  if (briefs.some((b) => fellBack(b.brief))) {
    io.stdout.write('* the LLM was asked for and its brief was not used (why: the reason); `morning-brief show <id>` has the rest\n');
  }
  return 0;
}

/** One stored brief with the reasons behind it: sources that failed, the writer's reason, the stories cited. */
export function runShowCommand(db: Db, briefId: number, opts: { json: boolean }, io: HistoryIo): number {
  const stored = getBrief(db, briefId);
  if (!stored) {
    io.stderr.write(`No brief with id ${briefId}. \`morning-brief history\` lists them.\n`);
    // An id the user gave that does not exist is a usage error, as in replay and broadcast.
    return 2;
  }
  const snapshot = getRunSnapshot(db, stored.runId);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ ...stored, snapshot }, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`${renderText(stored.brief)}\n\n`);
  io.stdout.write(`Brief ${stored.id} from run ${stored.runId}, written by the ${stored.brief.writer} writer`);
  io.stdout.write(stored.brief.writerReason ? ` (${stored.brief.writerReason})\n` : '\n');
  if (snapshot) {
    io.stdout.write(`Data as of ${snapshot.takenAt}; sources:\n`);
    for (const s of snapshot.statuses) {
      io.stdout.write(`  ${s.ok ? 'ok  ' : 'FAIL'} ${pad(s.id, 24)} ${pad(`${Math.round(s.ms)} ms`, 9)} ${s.error ?? ''}\n`);
    }
  }
  io.stdout.write(`Replay it: morning-brief replay ${stored.runId}\n`);
  return 0;
}
