/** The few read-only queries the server needs beyond src/store/runs.ts. */
import type { SourceStatus } from '../domain.ts';
import type { Db } from '../store/db.ts';
import { getRunSnapshot } from '../store/runs.ts';

/** Throws when the database cannot answer (closed handle, unreadable file...). */
export function pingDb(db: Db): void {
  db.prepare('SELECT 1').get();
}

export function countBriefs(db: Db): number {
  const row = db.prepare('SELECT COUNT(*) AS n FROM briefs').get() as { n: number };
  return row.n;
}

export interface LastRun {
  id: number;
  startedAt: string;
  trigger: string;
  takenAt: string;
  statuses: SourceStatus[];
}

/**
 * The newest run with its sources' statuses, or null before the first run. `collected`: only runs
 * that gathered data themselves, so a replay of an old snapshot is not taken for today's health.
 */
export function lastRun(db: Db, opts: { collected?: boolean } = {}): LastRun | null {
  const where = opts.collected ? "WHERE trigger NOT LIKE 'replay%'" : '';
  const row = db.prepare(`SELECT id, started_at, trigger FROM runs ${where} ORDER BY id DESC LIMIT 1`).get() as
    | { id: number; started_at: string; trigger: string }
    | undefined;
  if (!row) return null;
  const snapshot = getRunSnapshot(db, row.id);
  return {
    id: row.id,
    startedAt: row.started_at,
    trigger: row.trigger,
    takenAt: snapshot?.takenAt ?? row.started_at,
    statuses: snapshot?.statuses ?? [],
  };
}
