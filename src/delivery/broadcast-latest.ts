/**
 * "Send the latest brief to everyone now" (the bot's /broadcast, an operator's button): per
 * language among active subscribers, the newest brief in that language (else in the default
 * language, else the newest of all), queued and delivered through the engine.
 */
import type { Db } from '../store/db.ts';
import { latestBrief } from '../store/runs.ts';
import { listSubscribers } from '../store/subscribers.ts';
import type { DeliveryAdapter } from './types.ts';
import { broadcastBrief, type BroadcastReport, type DeliverDeps } from './worker.ts';

export interface LatestBroadcast {
  language: string;
  briefId: number;
  report: BroadcastReport;
}

/**
 * @example const results = await broadcastLatest(db, 'en', deliverySettings(config, db, adapters));
 */
export async function broadcastLatest(
  db: Db,
  defaultLanguage: string,
  deps: Omit<DeliverDeps, 'db' | 'briefId'> & { adapters: readonly DeliveryAdapter[] },
): Promise<LatestBroadcast[]> {
  const platforms = new Set(deps.adapters.map((a) => a.platform));
  const languages = [...new Set(listSubscribers(db, { active: true }).filter((s) => platforms.has(s.platform)).map((s) => s.language))].sort();
  const results: LatestBroadcast[] = [];
  for (const language of languages) {
    // Never a brief written when every source failed: it holds no news.
    const brief = latestBrief(db, { language, withData: true }) ?? latestBrief(db, { language: defaultLanguage, withData: true }) ?? latestBrief(db, { withData: true });
    if (!brief) break;
    const report = await broadcastBrief(db, brief.id, deps, { filter: { language } });
    results.push({ language, briefId: brief.id, report });
  }
  return results;
}
