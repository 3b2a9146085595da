/**
 * Alert job: the LLM writer fell back to the extractive one on M briefs in a row, and when it
 * writes again. Read from the stored briefs (writer, writer_reason), so it survives restarts.
 */
import type { Db } from '../store/db.ts';
import type { Alert } from './notifier.ts';

/** Briefs where the LLM was tried (it wrote, or the reason says why it did not), newest first. */
function llmAttempts(db: Db, limit: number, uptoId: number): { id: number; fellBack: boolean; reason: string | null }[] {
  const rows = db
    .prepare(
      `SELECT id, writer, writer_reason AS reason FROM briefs
       WHERE id <= ? AND (writer = 'llm' OR writer_reason LIKE 'llm:%') ORDER BY id DESC LIMIT ?`,
    )
    .all(uptoId, limit) as { id: number; writer: string; reason: string | null }[];
  return rows.map((r) => ({ id: r.id, fellBack: r.writer !== 'llm', reason: r.reason }));
}

function streak(rows: readonly { fellBack: boolean }[]): number {
  let n = 0;
  for (const r of rows) {
    if (!r.fellBack) break;
    n++;
  }
  return n;
}

/**
 * The alert the newest brief `briefId` causes, if any.
 * @example llmFallbackAlerts(db, result.briefId, 3)
 */
export function llmFallbackAlerts(db: Db, briefId: number, threshold: number): Alert[] {
  const rows = llmAttempts(db, threshold + 1, briefId);
  if (rows[0]?.id !== briefId) return [];
  const now = streak(rows);
  const earlier = streak(rows.slice(1));
  if (now >= threshold && earlier < threshold) {
    const why = rows[0].reason ? ` (last reason: ${rows[0].reason.slice(0, 200)})` : '';
    return [{ kind: 'llm_fallback', key: 'llm', text: `the LLM writer fell back to the extractive brief ${now} times in a row${why}.` }];
  }
  if (now === 0 && earlier >= threshold) {
    return [{ kind: 'llm_recovered', key: 'llm-ok', text: `the LLM writer wrote brief #${briefId} again after ${earlier} or more fallbacks in a row.` }];
  }
  return [];
}
