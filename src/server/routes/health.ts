/** GET /healthz: database reachable, each source's last status and its age, the last brief and its age. */
import { describeError } from '../../errors.ts';
import { latestBrief } from '../../store/runs.ts';
import { lastRun, pingDb } from '../queries.ts';
import { sendJson } from '../respond.ts';
import type { Route } from '../router.ts';
import type { ServerDeps } from '../types.ts';

/**
 * @example routes.push(...healthRoutes(deps, () => triggerRunning));
 */
export function healthRoutes(deps: ServerDeps, triggerRunning: () => boolean): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/healthz',
      handler: ({ res }) => {
        const now = deps.now();
        try {
          pingDb(deps.db);
        } catch (err) {
          deps.log.error({ err: describeError(err) }, 'health: database unreachable');
          sendJson(res, 503, { status: 'error', time: now.toISOString(), database: 'unreachable' });
          return;
        }
        let extras: Record<string, unknown> = {};
        try {
          extras = deps.healthExtras?.() ?? {};
        } catch (err) {
          extras = { extrasError: describeError(err) };
        }
        let degraded: string[] = [];
        try {
          degraded = deps.degraded?.() ?? [];
        } catch (err) {
          extras = { ...extras, degradedError: describeError(err) };
        }
        const body: Record<string, unknown> = {
          ...extras,
          // Still 200: the server, scheduler and other platforms work while one platform is down.
          status: degraded.length > 0 ? 'degraded' : 'ok',
          ...(degraded.length > 0 ? { degraded } : {}),
          time: now.toISOString(),
          database: 'ok',
          trigger: { enabled: Boolean(deps.config.triggerToken), running: triggerRunning() },
        };
        try {
          const brief = latestBrief(deps.db);
          const run = lastRun(deps.db);
          // Source health comes from the last run that gathered data, never from a replayed old snapshot.
          const collected = lastRun(deps.db, { collected: true });
          const age = (iso: string) => Math.round((now.getTime() - Date.parse(iso)) / 1000);
          body.lastBrief = brief
            ? {
                id: brief.id,
                title: brief.brief.title,
                writer: brief.brief.writer,
                createdAt: brief.brief.createdAt,
                dataAsOf: brief.brief.dataAsOf,
                ageSeconds: age(brief.brief.createdAt),
                // How old its figures were: a replay of an old snapshot is a new brief about an old morning.
                dataAgeSeconds: age(brief.brief.dataAsOf),
              }
            : null;
          body.lastRun = run ? { id: run.id, startedAt: run.startedAt, trigger: run.trigger, takenAt: run.takenAt, replay: run.trigger.startsWith('replay') } : null;
          body.sourcesFrom = collected ? { runId: collected.id, checkedAt: collected.takenAt, ageSeconds: age(collected.takenAt) } : null;
          body.sources = (collected?.statuses ?? []).map((s) => ({
            id: s.id,
            ok: s.ok,
            error: s.error,
            ms: s.ms,
            items: s.items,
            fallback: s.fallback,
            checkedAt: collected!.takenAt,
            ageSeconds: age(collected!.takenAt),
          }));
        } catch (err) {
          // The database answers but a stored row does not parse: say so, stay up.
          body.lastBrief = null;
          body.sources = [];
          body.readError = describeError(err);
        }
        sendJson(res, 200, body);
      },
    },
  ];
}
