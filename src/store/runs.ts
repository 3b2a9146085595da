/** Runs and their briefs: every run keeps its snapshot so any brief can be explained and rewritten. */
import { BriefSchema, SnapshotSchema, StorySchema, type Brief, type Snapshot, type Story } from '../domain.ts';
import type { Db } from './db.ts';
import { z } from 'zod';

export interface RunRow {
  id: number;
  startedAt: string;
  trigger: string;
  okSources: number;
  failedSources: number;
}

export interface StoredBrief {
  id: number;
  runId: number;
  edition: string;
  brief: Brief;
  stories: Story[];
  tokensIn: number | null;
  tokensOut: number | null;
  costUsd: number | null;
}

export interface BriefUsage {
  tokensIn: number | null;
  tokensOut: number | null;
  costUsd: number | null;
}

export function insertRun(db: Db, snapshot: Snapshot, trigger: string, startedAt: Date): number {
  const ok = snapshot.statuses.filter((s) => s.ok).length;
  const info = db
    .prepare(
      `INSERT INTO runs (started_at, finished_at, trigger, snapshot_json, ok_sources, failed_sources)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(startedAt.toISOString(), snapshot.takenAt, trigger, JSON.stringify(snapshot), ok, snapshot.statuses.length - ok);
  return Number(info.lastInsertRowid);
}

export function getRunSnapshot(db: Db, runId: number): Snapshot | null {
  const row = db.prepare('SELECT snapshot_json FROM runs WHERE id = ?').get(runId) as { snapshot_json: string } | undefined;
  return row ? SnapshotSchema.parse(JSON.parse(row.snapshot_json)) : null;
}

export function insertBrief(
  db: Db,
  runId: number,
  brief: Brief,
  stories: Story[],
  usage: BriefUsage = { tokensIn: null, tokensOut: null, costUsd: null },
  edition = 'default',
): number {
  const info = db
    .prepare(
      `INSERT INTO briefs (run_id, edition, language, writer, writer_reason, title, brief_json, stories_json, created_at, tokens_in, tokens_out, cost_usd)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      runId,
      edition,
      brief.language,
      brief.writer,
      brief.writerReason,
      brief.title,
      JSON.stringify(brief),
      JSON.stringify(stories),
      brief.createdAt,
      usage.tokensIn,
      usage.tokensOut,
      usage.costUsd,
    );
  return Number(info.lastInsertRowid);
}

interface BriefRow {
  id: number;
  run_id: number;
  edition: string;
  brief_json: string;
  stories_json: string;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_usd: number | null;
}

function toStored(row: BriefRow): StoredBrief {
  return {
    id: row.id,
    runId: row.run_id,
    edition: row.edition,
    brief: BriefSchema.parse(JSON.parse(row.brief_json)),
    stories: z.array(StorySchema).parse(JSON.parse(row.stories_json)),
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    costUsd: row.cost_usd,
  };
}

export function getBrief(db: Db, id: number): StoredBrief | null {
  const row = db.prepare('SELECT * FROM briefs WHERE id = ?').get(id) as BriefRow | undefined;
  return row ? toStored(row) : null;
}

/** `withData`: only briefs whose run gathered something (what any path that sends a brief must use). */
export function latestBrief(db: Db, filter: { language?: string; edition?: string; withData?: boolean } = {}): StoredBrief | null {
  const row = db
    .prepare(
      `SELECT * FROM briefs WHERE (@language IS NULL OR language = @language) AND (@edition IS NULL OR edition = @edition)
       AND (@withData = 0 OR run_id IN (SELECT id FROM runs WHERE ok_sources > 0))
       ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .get({ language: filter.language ?? null, edition: filter.edition ?? null, withData: filter.withData ? 1 : 0 }) as BriefRow | undefined;
  return row ? toStored(row) : null;
}

/**
 * What /brief and the bots show: the newest brief in the language, else in the default
 * language, else any; never one written when every source failed.
 * @example const brief = latestSendableBrief(db, 'de', config.language);
 */
export function latestSendableBrief(db: Db, language: string, defaultLanguage: string): StoredBrief | null {
  return (
    latestBrief(db, { language, withData: true }) ?? latestBrief(db, { language: defaultLanguage, withData: true }) ?? latestBrief(db, { withData: true })
  );
}

/**
 * Why a stored brief must not be sent, or null when it may: a brief written on a morning
 * when every source failed holds no news ("No market data, no news gathered").
 */
export function noDataReason(db: Db, brief: Pick<StoredBrief, 'id' | 'runId'>): string | null {
  const run = db.prepare('SELECT ok_sources AS ok, failed_sources AS failed FROM runs WHERE id = ?').get(brief.runId) as
    | { ok: number; failed: number }
    | undefined;
  if (run && run.ok > 0) return null;
  return `Brief ${brief.id} was written when every source failed (${run ? `0 of ${run.failed}` : 'no run recorded'} answered): it holds no news, so it is not sent.`;
}

export function listBriefs(db: Db, limit = 20, offset = 0): StoredBrief[] {
  const rows = db.prepare('SELECT * FROM briefs ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?').all(limit, offset) as BriefRow[];
  return rows.map(toStored);
}

/** Headline titles the last `count` briefs already covered, so ranking can demote repeats. */
export function recentlyCoveredTitles(db: Db, count: number, before?: string): string[] {
  if (count <= 0) return [];
  const rows = db
    .prepare(
      `SELECT brief_json FROM briefs WHERE (@before IS NULL OR created_at < @before)
       ORDER BY created_at DESC, id DESC LIMIT @count`,
    )
    .all({ count, before: before ?? null }) as { brief_json: string }[];
  return rows.flatMap((r) => (JSON.parse(r.brief_json) as Brief).sources.map((s) => s.title));
}
