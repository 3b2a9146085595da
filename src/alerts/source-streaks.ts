/**
 * Alert job: a source that failed on N mornings (days) in a row, and its recovery. The streak
 * is read from the stored runs, so a restart neither forgets it nor alerts it twice: a run
 * alerts only when it is the one that crosses the threshold (or ends a streak past it).
 */
import type { Db } from '../store/db.ts';
import type { Alert } from './notifier.ts';

interface RunStatuses {
  id: number;
  day: string;
  statuses: { id: string; ok: boolean; error?: string | null }[];
}

/** The newest runs' source statuses (enough days to see a streak of `days` and the one before it). */
function recentRuns(db: Db, days: number): RunStatuses[] {
  const rows = db
    .prepare(
      `SELECT id, substr(started_at, 1, 10) AS day, json_extract(snapshot_json, '$.statuses') AS statuses
       FROM runs WHERE substr(started_at, 1, 10) IN (SELECT DISTINCT substr(started_at, 1, 10) FROM runs ORDER BY 1 DESC LIMIT ?)
       ORDER BY id DESC`,
    )
    .all(days) as { id: number; day: string; statuses: string | null }[];
  return rows.map((r) => ({ id: r.id, day: r.day, statuses: r.statuses ? (JSON.parse(r.statuses) as RunStatuses['statuses']) : [] }));
}

/**
 * Days in a row, newest first, on which `source` failed in every run that day; a day where it
 * answered once (or was not asked) ends the streak.
 */
export function failedDaysInARow(runs: readonly RunStatuses[], source: string): number {
  const byDay = new Map<string, boolean>();
  for (const run of runs) {
    const status = run.statuses.find((s) => s.id === source);
    const failedToday = status !== undefined && !status.ok;
    byDay.set(run.day, (byDay.get(run.day) ?? true) && failedToday);
  }
  let streak = 0;
  for (const failed of byDay.values()) {
    if (!failed) break;
    streak++;
  }
  return streak;
}

/**
 * The alerts the newest run `runId` causes: a source whose streak reached `threshold` with this
 * run, or a source that answered again after a streak of at least `threshold`.
 * @example sourceStreakAlerts(db, result.runId, 3) // [{ kind: 'source_failing', key: 'source:fred', text: ... }]
 */
export function sourceStreakAlerts(db: Db, runId: number, threshold: number): Alert[] {
  // A month back, so a recovery can say how long the source was down.
  const runs = recentRuns(db, Math.max(threshold + 1, 31));
  const latest = runs.find((r) => r.id === runId);
  if (!latest) return [];
  const before = runs.filter((r) => r.id < runId);
  const upTo = runs.filter((r) => r.id <= runId);
  const alerts: Alert[] = [];
  for (const status of latest.statuses) {
    const now = failedDaysInARow(upTo, status.id);
    const earlier = failedDaysInARow(before, status.id);
    if (now >= threshold && earlier < threshold) {
      const why = status.error ? ` (last error: ${status.error.slice(0, 200)})` : '';
      alerts.push({ kind: 'source_failing', key: `source:${status.id}`, text: `source "${status.id}" has failed on ${now} mornings in a row${why}.` });
    } else if (now === 0 && earlier >= threshold && status.ok) {
      alerts.push({ kind: 'source_recovered', key: `source-ok:${status.id}`, text: `source "${status.id}" answers again after failing on ${earlier} mornings in a row.` });
    }
  }
  return alerts;
}
