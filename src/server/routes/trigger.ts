/** POST /trigger: a manual run behind a bearer token, never two at once, answered 202 at once; GET /trigger/:id shows its progress. */
import { randomUUID } from 'node:crypto';
import { describeError } from '../../errors.ts';
import { bearerMatches } from '../auth.ts';
import { sendJson } from '../respond.ts';
import type { RequestContext, Route } from '../router.ts';
import type { ServerDeps, TriggerProgress } from '../types.ts';

/**
 * Throw this from `trigger()` when another run (e.g. the scheduler's) holds the lock; the
 * endpoint answers 409 as it does for two overlapping HTTP triggers.
 */
export class TriggerBusyError extends Error {
  override name = 'TriggerBusyError';
  constructor(message = 'a run is already in progress') {
    super(message);
  }
}

export interface TriggerRoutes {
  routes: Route[];
  running(): boolean;
}

/** One triggered run as GET /trigger/:id shows it. */
export interface TriggerRun {
  id: string;
  state: 'running' | 'done' | 'failed' | 'busy';
  startedAt: string;
  finishedAt: string | null;
  /** What the run is doing now (writing the brief for a language, delivering it...). */
  progress: TriggerProgress | null;
  briefId: number | null;
  delivered: number | null;
  error: string | null;
}

/** Runs kept for GET /trigger/:id (oldest dropped first). */
const KEEP_RUNS = 50;

/**
 * `POST /trigger` answers 202 at once with the run's id and where to follow it
 * (`GET /trigger/<id>`); `POST /trigger?wait=1` waits for the run and answers 200 with its result.
 * @example const t = triggerRoutes(deps); routes.push(...t.routes);
 */
export function triggerRoutes(deps: ServerDeps): TriggerRoutes {
  let inFlight = false;
  const runs = new Map<string, TriggerRun>();

  /** 404 when off, 401 without the token; true when the request may go on. */
  function authorized({ req, res }: RequestContext): boolean {
    const token = deps.config.triggerToken;
    if (!token) {
      sendJson(res, 404, { error: 'the trigger endpoint is off: set TRIGGER_TOKEN to turn it on' });
      return false;
    }
    if (!bearerMatches(req.headers.authorization, token)) {
      deps.log.warn({ remote: req.socket.remoteAddress, hasAuthorization: Boolean(req.headers.authorization) }, 'trigger: unauthorized');
      sendJson(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="morning-brief"' });
      return false;
    }
    return true;
  }

  function remember(run: TriggerRun): void {
    runs.set(run.id, run);
    while (runs.size > KEEP_RUNS) runs.delete(runs.keys().next().value!);
  }

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: '/trigger',
      handler: async (ctx) => {
        const { req, res, query } = ctx;
        req.resume(); // the body is not used; drain it so the connection can be reused
        if (!authorized(ctx)) return;
        const busy = inFlight ? 'a run is already in progress' : (deps.triggerBusy?.() ?? null);
        if (busy) {
          sendJson(res, 409, { error: busy });
          return;
        }
        inFlight = true;
        deps.log.info({ remote: req.socket.remoteAddress }, 'trigger: run requested over HTTP');
        const run: TriggerRun = {
          id: randomUUID(),
          state: 'running',
          startedAt: deps.now().toISOString(),
          finishedAt: null,
          progress: null,
          briefId: null,
          delivered: null,
          error: null,
        };
        remember(run);
        // Via a then(): a trigger that throws synchronously must still release the lock.
        const done = Promise.resolve()
          .then(() => deps.trigger((p) => void (run.progress = p)))
          .then(
            (r) => {
              Object.assign(run, { state: 'done', briefId: r.briefId, delivered: r.delivered ?? null });
              deps.log.info({ run: run.id, briefId: r.briefId, delivered: r.delivered }, 'trigger: run finished');
            },
            (err: unknown) => {
              const busyNow = err instanceof TriggerBusyError;
              Object.assign(run, { state: busyNow ? 'busy' : 'failed', error: busyNow ? err.message : `run failed: ${describeError(err)}` });
              if (busyNow) deps.log.info({ run: run.id, reason: err.message }, 'trigger: another run holds the lock');
              else deps.log.error({ run: run.id, err: describeError(err) }, 'trigger: run failed');
            },
          )
          .finally(() => {
            run.finishedAt = deps.now().toISOString();
            inFlight = false;
          });
        if (!['1', 'true', 'yes'].includes(query.get('wait') ?? '')) {
          sendJson(res, 202, { status: 'started', id: run.id, url: `/trigger/${run.id}` }, { location: `/trigger/${run.id}` });
          return;
        }
        await done;
        if (run.state === 'done') {
          sendJson(res, 200, { status: 'done', id: run.id, briefId: run.briefId, ...(run.delivered !== null ? { delivered: run.delivered } : {}) });
        } else sendJson(res, run.state === 'busy' ? 409 : 500, { error: run.error, id: run.id });
      },
    },
    {
      method: 'GET',
      pattern: '/trigger/:id',
      handler: (ctx) => {
        if (!authorized(ctx)) return;
        const run = runs.get(ctx.params.id ?? '');
        if (!run) {
          sendJson(ctx.res, 404, { error: 'no such run (runs are kept in memory until the service restarts)' });
          return;
        }
        sendJson(ctx.res, 200, run);
      },
    },
  ];
  return { routes, running: () => inFlight };
}
