/**
 * Publishes briefs posted in Discord announcement channels (POST .../messages/{id}/crosspost),
 * so servers following the channel get them too: at most 10 publishes an hour per channel
 * (Discord's quota, counted from the stored publishes so a restart keeps it), a 429 or 5xx
 * retried later as a publish (never as a new post), a refused one (no permission, message gone)
 * recorded as failed and reported.
 */
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { collectCrossposts, deferPublish, duePublishes, markPublished, markPublishFailed, publishedWithinHour } from '../store/crossposts.ts';

export const PUBLISHES_PER_HOUR = 10;

export interface PublisherDeps {
  db: Db;
  token: string;
  apiRoot: string;
  fetch: typeof fetch;
  now: () => Date;
  log: Logger;
  /** First retry after a 5xx or network error; doubles per attempt. */
  retryBaseMs?: number;
  /** Attempts before a publish that keeps failing is given up (and reported). */
  maxAttempts?: number;
}

export interface PublishReport {
  published: number;
  /** Waiting for the channel's hourly quota, a 429 or a retry. */
  deferred: number;
  failed: { channelId: string; messageId: string; error: string }[];
}

/** Code 40033: "This message has already been crossposted" (a publish whose answer was lost). */
const ALREADY_CROSSPOSTED = 40033;

/** @example const report = await publishAnnouncements({ db, token, apiRoot, fetch, now, log }); */
export async function publishAnnouncements(deps: PublisherDeps): Promise<PublishReport> {
  const report: PublishReport = { published: 0, deferred: 0, failed: [] };
  const maxAttempts = deps.maxAttempts ?? 5;
  const base = deps.retryBaseMs ?? 60_000;
  collectCrossposts(deps.db, deps.now());
  const root = deps.apiRoot.replace(/\/+$/, '');
  for (const row of duePublishes(deps.db, deps.now())) {
    const now = deps.now();
    const recent = publishedWithinHour(deps.db, row.channelId, now);
    if (recent.length >= PUBLISHES_PER_HOUR) {
      // The oldest publish of the hour leaves the window: the next slot.
      deferPublish(deps.db, row.id, new Date(recent[recent.length - PUBLISHES_PER_HOUR]!.getTime() + 3600_000), null);
      report.deferred++;
      continue;
    }
    let status = 0;
    let body: { code?: number; message?: string; retry_after?: number } = {};
    try {
      const res = await deps.fetch(`${root}/v10/channels/${row.channelId}/messages/${row.messageId}/crosspost`, {
        method: 'POST',
        headers: { authorization: `Bot ${deps.token}` },
      });
      status = res.status;
      body = ((await res.json().catch(() => ({}))) ?? {}) as typeof body;
    } catch (err) {
      body = { message: `network: ${(err as Error).message}` };
    }
    const error = `${status || 'network'}: ${body.message ?? 'no answer'}`;
    if ((status >= 200 && status < 300) || body.code === ALREADY_CROSSPOSTED) {
      markPublished(deps.db, row.id, now);
      report.published++;
    } else if (status === 429 || status === 0 || status >= 500) {
      if (row.attempts + 1 >= maxAttempts && status !== 429) {
        markPublishFailed(deps.db, row.id, error);
        report.failed.push({ channelId: row.channelId, messageId: row.messageId, error });
        continue;
      }
      const waitMs = status === 429 ? Math.max(1, body.retry_after ?? 60) * 1000 : base * 2 ** row.attempts;
      deferPublish(deps.db, row.id, new Date(now.getTime() + waitMs), error);
      report.deferred++;
    } else {
      markPublishFailed(deps.db, row.id, error);
      report.failed.push({ channelId: row.channelId, messageId: row.messageId, error });
    }
  }
  for (const f of report.failed) {
    deps.log.warn({ channel: f.channelId, message: f.messageId, error: f.error }, 'announcement not published: following servers did not get this brief (it stays posted in the channel)');
  }
  return report;
}

/**
 * publishAnnouncements as the service runs it after each delivery pass: one pass at a time, and
 * a failing pass (the database busy, a bug) logged, never thrown into delivery.
 * @example const publish = createAnnouncementRunner(deps); await serving.deliver(); await publish();
 */
export function createAnnouncementRunner(deps: PublisherDeps & { onFailed?: (failed: PublishReport['failed'][number]) => void }): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () =>
    (running ??= publishAnnouncements(deps)
      .then((r) => {
        if (r.published > 0 || r.deferred > 0) deps.log.info({ ...r, failed: r.failed.length }, 'announcement channels published');
        for (const f of r.failed) deps.onFailed?.(f);
      })
      .catch((err: unknown) => deps.log.error({ err }, 'publishing announcement channels failed'))
      .finally(() => {
        running = null;
      }));
}
