/**
 * runBrief: the one path every trigger takes (CLI, chat commands, HTTP, scheduler):
 * collect -> cluster & rank -> write -> store.
 */
import type { Config } from './config.ts';
import type { Brief, Snapshot, Story } from './domain.ts';
import type { Logger } from './log.ts';
import { collectSnapshot } from './sources/collect.ts';
import { buildSources } from './sources/registry.ts';
import type { SourceStatus } from './domain.ts';
import type { Db } from './store/db.ts';
import type { FeedCache } from './store/feed-cache.ts';
import { insertBrief, insertRun, recentlyCoveredTitles } from './store/runs.ts';
import { buildStories } from './stories/index.ts';
import type { HttpDeps } from './util/http.ts';
import { costUsd, writeBrief } from './writers/choose-writer.ts';
import { configForEdition } from './sources/feeds-by-language.ts';

export type WriterMode = 'auto' | 'llm' | 'extractive';

/** Every source failed: there is nothing to write a brief from. */
export class NoDataError extends Error {
  override name = 'NoDataError';
  constructor(sources: number) {
    super(`every source failed (${sources} tried); no brief was written`);
  }
}

export interface PipelineDeps {
  config: Readonly<Config>;
  /** null: nothing is stored (the demo with --no-store, dry runs). */
  db: Db | null;
  http: HttpDeps;
  now: () => Date;
  log: Logger;
  feedCache: FeedCache;
  onProgress?: (event: { id: string; phase: 'start' | 'done'; status?: SourceStatus }) => void;
}

export interface RunOptions {
  /** Who asked: "cli", "schedule", "telegram:/brief", "http", "replay:<run id>"... */
  trigger: string;
  writer: WriterMode;
  /**
   * Fail with NoDataError when no source answered, instead of writing a "no data" brief
   * (the scheduler then retries; the run's snapshot is still stored to explain the failure).
   */
  requireData?: boolean;
  /** Reuse stored inputs instead of collecting (replay). */
  snapshot?: Snapshot;
  language?: string;
  edition?: string;
}

export interface RunResult {
  runId: number | null;
  briefId: number | null;
  brief: Brief;
  snapshot: Snapshot;
  stories: Story[];
  usage: { tokensIn: number; tokensOut: number } | null;
  costUsd: number | null;
  attempts: { writer: string; ok: boolean; reason: string | null }[];
}

/**
 * @example const result = await runBrief(deps, { trigger: 'cli', writer: 'auto' });
 */
export async function runBrief(deps: PipelineDeps, options: RunOptions): Promise<RunResult> {
  const { config, db, log } = deps;
  const startedAt = deps.now();
  const snapshot =
    options.snapshot ??
    (await collectSnapshot(
      // Each edition's own feeds (zh feeds for zh), the market sources for all.
      buildSources(configForEdition(config, options.language ?? config.language)),
      { http: deps.http, now: deps.now, feedCache: deps.feedCache },
      {
        timeoutMs: config.sources.timeoutMs,
        deadlineMs: config.sources.deadlineMs,
        retries: config.sources.retries,
        userAgent: config.sources.userAgent,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
      },
    ));
  for (const status of snapshot.statuses.filter((s: SourceStatus) => !s.ok)) {
    log.warn({ source: status.id, error: status.error, ms: status.ms }, 'source failed');
  }

  if (options.requireData && !snapshot.statuses.some((s) => s.ok)) {
    if (db) insertRun(db, snapshot, options.trigger, startedAt);
    throw new NoDataError(snapshot.statuses.length);
  }

  const recentlyCovered = db ? recentlyCoveredTitles(db, config.stories.recentBriefs, snapshot.takenAt) : [];
  const stories = buildStories(snapshot.headlines, {
    now: new Date(snapshot.takenAt),
    maxAgeHours: config.stories.maxAgeHours,
    recentlyCovered,
    sourceWeights: Object.fromEntries(config.sources.feeds.map((f) => [f.id, f.weight])),
  });

  const written = await writeBrief(
    { snapshot, stories, briefName: config.briefName, language: options.language ?? config.language, now: deps.now(), freshness: config.freshness },
    { mode: options.writer, llm: config.llm },
  );
  const cost = written.usage ? costUsd(written.usage, config.llm) : null;
  log.info({ writer: written.brief.writer, reason: written.brief.writerReason, stories: stories.length }, 'brief written');

  let runId: number | null = null;
  let briefId: number | null = null;
  if (db) {
    const store = db.transaction(() => {
      runId = insertRun(db, snapshot, options.trigger, startedAt);
      briefId = insertBrief(
        db,
        runId,
        written.brief,
        stories,
        { tokensIn: written.usage?.tokensIn ?? null, tokensOut: written.usage?.tokensOut ?? null, costUsd: cost },
        options.edition ?? 'default',
      );
    });
    store();
  }
  return { runId, briefId, brief: written.brief, snapshot, stories, usage: written.usage, costUsd: cost, attempts: written.attempts };
}
